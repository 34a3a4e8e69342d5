-- Thin: rename/cast only. One row per printed statement table (grain: document × table_ordinal).
with

source as (
    select * from {{ source('raw', 'statement_tables') }}
),

final as (
    select
        document_id,
        file_name,
        table_ordinal,
        statement_type,
        title,
        title_line,
        label,
        department_name,
        unit,
        unit_line,
        first_line,
        last_line,
        layout,
        header_lines,
        is_empty,
        empty_note
    from source
)

select * from final
