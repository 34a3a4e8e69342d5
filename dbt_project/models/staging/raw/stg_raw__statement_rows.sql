-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per logical statement row (grain: document × table_ordinal ×
-- row_ordinal); two-sided summary tables give an income and an expenditure row per physical line.
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'statement_rows') }} as raw_rows
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
        side,
        label_raw,
        name,
        ordinal_prefix,
        code_raw,
        function_code,
        economic_code,
        economic_name_department,
        economic_name_government,
        row_role,
        level,
        parent_row_ordinal,
        unit_name,
        project_name
    from source
)

select * from final
