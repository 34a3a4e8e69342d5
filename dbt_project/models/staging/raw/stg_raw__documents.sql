-- One row per document in the raw directory (failed documents included, with their error).
with

source as (
    select * from {{ source('raw', 'documents') }}
),

-- one row per document id: identical copies under other names are one document
inventory as (
    select distinct document_id from {{ source('raw', 'document_inventory') }}
),

final as (
    select
        source.document_id,
        source.file_name,
        source.sha256,
        source.size_bytes,
        source.encoding,
        source.ingested_at,
        source.status as extraction_status,
        source.error_message,
        source.error_line,
        source.title,
        source.issuing_body,
        source.fiscal_year,
        source.document_kind,
        source.scope,
        source.units_printed,
        source.line_count,
        source.warning_count,
        source.reader_version,
        source.page_count,
        source.extractor_version
    from source
    inner join inventory
        on source.document_id = inventory.document_id
)

select * from final
