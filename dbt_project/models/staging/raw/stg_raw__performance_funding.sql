-- Thin: rename/cast only. One row per funding figure of a performance table (grain: document ×
-- perf_ordinal × source_line × funding_label × period).
with

source as (
    select * from {{ source('raw', 'performance_funding') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        source_line,
        period,
        funding_label,
        funding_axis,
        raw_text,
        amount_printed,
        unit,
        amount_yuan,
        is_blank
    from source
)

select * from final
