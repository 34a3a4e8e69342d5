-- Thin: rename/cast only. One row per extraction warning (grain: document × source_line × kind).
with

source as (
    select * from {{ source('raw', 'extraction_warnings') }}
),

final as (
    select
        document_id,
        file_name,
        source_line,
        kind,
        message,
        text
    from source
)

select * from final
