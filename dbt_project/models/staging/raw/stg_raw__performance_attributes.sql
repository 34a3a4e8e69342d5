-- Thin: rename/cast only. One row per non-money item of a performance table: headcounts, counts,
-- tasks, goals (grain: document × perf_ordinal × source_line × attribute).
with

source as (
    select * from {{ source('raw', 'performance_attributes') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        source_line,
        attribute,
        label,
        value_text,
        value_number,
        value_unit
    from source
)

select * from final
