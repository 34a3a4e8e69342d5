-- Thin: rename/cast only.
-- One row per table cell of a PDF with its page and box (grain: document × source_line × cell_index).
with

source as (
    select * from {{ source('raw', 'layout_cells') }}
),

final as (
    select
        document_id,
        file_name,
        source_line,
        cell_index,
        page_number,
        x0,
        top,
        x1,
        bottom,
        text
    from source
)

select * from final
