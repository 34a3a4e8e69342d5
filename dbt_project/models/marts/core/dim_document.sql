-- One row per document: what it is, who issued it, for which year, and whether it loaded.
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

final as (
    select
        document_id,
        file_name,
        title,
        issuing_body,
        fiscal_year,
        document_kind,
        scope,
        units_printed,
        extraction_status,
        error_message,
        ingested_at
    from documents
)

select * from final
