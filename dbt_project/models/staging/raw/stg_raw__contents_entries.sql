-- Thin: rename/cast only. One row per statement table a document's 目录 lists
-- (grain: document × entry_ordinal).
with

source as (
    select * from {{ source('raw', 'contents_entries') }}
),

final as (
    select
        document_id,
        file_name,
        entry_ordinal,
        source_line,
        entry_text,
        title,
        statement_type,
        page_printed
    from source
)

select * from final
