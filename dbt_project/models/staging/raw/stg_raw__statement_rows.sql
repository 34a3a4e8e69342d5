-- Thin: rename/cast only. One row per logical statement row (grain: document × table_ordinal ×
-- row_ordinal); two-sided summary tables give an income and an expenditure row per physical line.
with

source as (
    select * from {{ source('raw', 'statement_rows') }}
),

final as (
    select
        document_id,
        file_name,
        table_ordinal,
        row_ordinal,
        source_line,
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
