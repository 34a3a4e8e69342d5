-- Thin: rename/cast only, plus the page of each line (layout_lines).
-- One row per figure stated in the narrative (grain: document × figure_ordinal).
with

source as (
    select
        raw_rows.*,
        layout.page_number
    from {{ source('raw', 'narrative_figures') }} as raw_rows
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
        figure_ordinal,
        source_line,
        page_number,
        section,
        metric,
        value,
        unit,
        amount_yuan,
        sentence
    from source
)

select * from final
