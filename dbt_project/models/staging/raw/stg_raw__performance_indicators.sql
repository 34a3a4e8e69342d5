-- Thin: rename/cast only. One row per performance indicator (grain: document × perf_ordinal × indicator_ordinal).
with

source as (
    select * from {{ source('raw', 'performance_indicators') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        indicator_ordinal,
        source_line,
        period,
        level1,
        level2,
        level3,
        target_raw,
        comparator,
        target_value,
        target_unit,
        nature,
        weight,
        remark
    from source
)

select * from final
