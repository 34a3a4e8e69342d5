-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per funding figure of a performance table (grain: document ×
-- perf_ordinal × source_line × funding_label × period).
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'performance_funding') }} as raw_rows
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
        source_line,
        page_number,
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
