-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per non-money item of a performance table: headcounts, counts,
-- tasks, goals (grain: document × perf_ordinal × source_line × attribute).
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'performance_attributes') }} as raw_rows
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
        attribute,
        label,
        value_text,
        value_number,
        value_unit
    from source
)

select * from final
