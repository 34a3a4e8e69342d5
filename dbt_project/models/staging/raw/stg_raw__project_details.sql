-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per 项目构成分解 detail row (grain: document × perf_ordinal × detail_ordinal).
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'project_details') }} as raw_rows
    -- the printed page of the line (null for a text dump)
    left join {{ source('raw', 'layout_lines') }} as layout
        on
            raw_rows.document_id = layout.document_id
            and raw_rows.source_line = layout.source_line
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        detail_ordinal,
        source_line,
        page_number,
        item_name,
        item_content,
        item_detail,
        amount_yuan,
        unit_price_yuan,
        unit_price_basis,
        quantity,
        quantity_basis,
        remark,
        is_total,
        raw_text
    from source
)

select * from final
