{#-
    Incremental models keyed by document (materialized='incremental', unique_key='document_id',
    incremental_strategy='delete+insert'; configured in dbt_project.yml). A model qualifies only
    when each of its rows depends on one document's rows (raw, or of other per-document models)
    and on seeds: a change to a seed or to any model is a change to the dbt project, and the
    pipeline then builds with --full-refresh (orchestration/pipeline/state.py). Every input of
    such a model but the seeds is filtered with incremental_documents(), and every join between
    its inputs is on document_id.

    incremental_documents(): the filter of an incremental run: the documents this model does
    not hold yet (new documents; content that changed is a new document id), and the documents
    the pipeline asks to rebuild (refresh_documents('rebuild'): the same content under another
    file name, or read by another extractor). A full build reads every document.

    prune_incremental_documents(): the pre-hook that deletes, before an incremental run, the rows
    of documents no longer in the raw registry (removed from raw/) and of the documents to
    rebuild (so that a rebuilt document whose new reading has no rows here leaves none).

    refresh_documents(kind): the documents an incremental refresh names, 'rebuild' or 'test'
    (environment variables REFRESH_REBUILD_DOCUMENTS, REFRESH_TEST_DOCUMENTS: JSON lists set by
    orchestration/pipeline/state.py), or none when the variable is not set (a full build, or
    dbt run by hand). Read only when the SQL is executed: dbt parses with execute false, so the
    lists are not part of the state it parses the project from and a refresh that names other
    documents keeps dbt's partial parse.
-#}
{% macro refresh_documents(kind) -%}
{%- if not execute -%}
{%- do return(none) -%}
{%- endif -%}
{%- set listed = env_var('REFRESH_' ~ kind | upper ~ '_DOCUMENTS', '') -%}
{%- do return(fromjson(listed) if listed else none) -%}
{%- endmacro %}

{% macro incremental_documents(column='document_id') -%}
{#- a unit test renders the model without a relation: it reads its given rows -#}
{%- if this is not none and is_incremental() -%}
({{ column }} not in (select distinct document_id from {{ this }})
{%- for document_id in refresh_documents('rebuild') or [] %}
{%- if loop.first %} or {{ column }} in ({% endif -%}
'{{ document_id }}'{{ ', ' if not loop.last else ')' }}
{%- endfor %})
{%- else -%}
true
{%- endif -%}
{%- endmacro %}

{% macro prune_incremental_documents() -%}
{%- if this is not none and is_incremental() -%}
delete from {{ this }}
where
document_id not in (select document_id from {{ source('raw', 'documents') }})
{%- for document_id in refresh_documents('rebuild') or [] %}
or document_id = '{{ document_id }}'
{%- endfor %}
{%- endif -%}
{%- endmacro %}
