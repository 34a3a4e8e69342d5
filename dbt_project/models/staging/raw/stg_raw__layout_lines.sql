-- Thin: rename/cast only.
-- One row per line of a document with its page and box (PDF) or only its number
-- (text dump) (grain: document × source_line).
with

source as (
    select * from {{ source('raw', 'layout_lines') }}
),

final as (
    select
        document_id,
        file_name,
        source_line,
        page_number,
        page_width,
        page_height,
        x0,
        top,
        x1,
        bottom,
        text
    from source
)

select * from final
