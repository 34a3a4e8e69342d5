-- Thin: rename/cast only. One row per amount cell (grain: document × table_ordinal × row_ordinal ×
-- column_ordinal) with the printed value, unit and exact yuan.
with

source as (
    select * from {{ source('raw', 'statement_cells') }}
),

final as (
    select
        document_id,
        file_name,
        table_ordinal,
        row_ordinal,
        source_line,
        column_ordinal,
        column_path,
        measure,
        raw_text,
        amount_printed,
        unit,
        amount_yuan,
        is_blank,
        is_dash
    from source
)

select * from final
