{#-
    The conformed department that issued each document (one row per document that names its
    issuing body: document_id, department_key): the document_issuer mention of
    int_department_mentions. The one definition of "a document's issuer" for the models that
    attach it (dim_document, int_stage_amounts); used as a CTE body:

        issuers as (
            {{ document_issuers() }}
        ),
-#}
{% macro document_issuers() -%}
    select
        document_id,
        department_key
    from {{ ref('int_department_mentions') }}
    where mention_source = 'document_issuer'
{%- endmacro %}
