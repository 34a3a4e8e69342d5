-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per performance indicator (grain: document × perf_ordinal × indicator_ordinal).
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'performance_indicators') }} as raw_rows
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
        indicator_ordinal,
        source_line,
        page_number,
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
