-- One row per file in the raw directory (grain: file_name). Identical copies of a document (the
-- same bytes under several names) share its document_id: one document, every name listed.
with

source as (
    select * from {{ source('raw', 'document_inventory') }}
),

final as (
    select
        document_id,
        file_name,
        sha256
    from source
)

select * from final
