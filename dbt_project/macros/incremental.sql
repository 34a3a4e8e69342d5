{#-
    Incremental models keyed by document (materialized='incremental', unique_key='document_id',
    incremental_strategy='delete+insert'; configured in dbt_project.yml). A model qualifies only
    when each of its rows depends on one document's rows (raw, or of other per-document models)
    and on seeds: a change to a seed or to any model is a change to the dbt project, and the
    pipeline then builds with --full-refresh (orchestration/pipeline/state.py). Every input of
    such a model but the seeds is filtered with incremental_documents(), and every join between
    its inputs is on document_id.

    incremental_documents(): the filter of an incremental run. In a refresh of the pipeline: the
    documents it builds (refresh_documents(): new documents, content that changed being a new
    document id, and the documents it rebuilds: the same content under another file name, read
    by another extractor, or another file of a disclosure that changed). An equality on
    document_id: the inputs are not read whole, as an anti-join with this model's documents
    would (0.2-0.6 s per model at 1,000 documents). Run by hand without the list: the
    documents this model does not hold yet. A full build reads every document.

    prune_incremental_documents(): the pre-hook that deletes, before an incremental run, the rows
    of documents no longer in the raw registry (removed from raw/) and of the documents the
    refresh builds (so that a rebuilt document whose new reading has no rows here leaves none,
    and a document a killed run had half built is built again from nothing).

    refresh_documents(): the documents an incremental refresh of the pipeline builds (the
    environment variable REFRESH_DOCUMENTS, a JSON list set by orchestration/pipeline/state.py),
    or none when it is not set (a full build, or dbt run by hand). Read only when the SQL is
    executed: dbt parses with execute false, so the list is not part of the state it parses the
    project from and a refresh that names other documents keeps dbt's partial parse.
-#}
{% macro refresh_documents() -%}
    {%- if not execute -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set listed = env_var('REFRESH_DOCUMENTS', '') -%}
    {%- do return(fromjson(listed) if listed else none) -%}
{%- endmacro %}

{% macro quoted_documents(documents) -%}
    {%- if documents -%}
        {%- do return("('" ~ documents | join("', '") ~ "')") -%}
    {%- endif -%}
    {%- do return('(null)') -%}
{%- endmacro %}

{% macro incremental_documents(column='document_id') -%}
    {#- a unit test renders the model without a relation: it reads its given rows -#}
    {%- set built = refresh_documents() -%}
    {%- if this is none or not is_incremental() -%}
        {%- do return('true') -%}
    {%- elif built is not none -%}
        {%- do return(column ~ ' in ' ~ quoted_documents(built)) -%}
    {%- endif -%}
    {%- do return(column ~ ' not in (select distinct document_id from ' ~ this ~ ')') -%}
{%- endmacro %}

{% macro prune_incremental_documents() -%}
    {%- if this is none or not is_incremental() -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set sql = 'delete from ' ~ this ~ ' where document_id not in (select document_id from '
        ~ source('raw', 'documents') ~ ')' -%}
    {%- set built = refresh_documents() -%}
    {%- if built -%}
        {%- set sql = sql ~ ' or document_id in ' ~ quoted_documents(built) -%}
    {%- endif -%}
    {%- do return(sql) -%}
{%- endmacro %}
