-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per amount cell (grain: document × table_ordinal × row_ordinal ×
-- column_ordinal) with the printed value, unit and exact yuan.
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'statement_cells') }} as raw_rows
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
        table_ordinal,
        row_ordinal,
        source_line,
        page_number,
        column_ordinal,
        column_path,
        measure,
        raw_text,
        amount_printed,
        unit,
        amount_yuan,
        is_blank,
        is_dash,
        cell_index
    from source
)

select * from final
