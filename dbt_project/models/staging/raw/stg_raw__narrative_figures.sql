-- Thin: rename/cast only. One row per figure stated in the narrative (grain: document × figure_ordinal).
with

source as (
    select * from {{ source('raw', 'narrative_figures') }}
),

final as (
    select
        document_id,
        file_name,
        figure_ordinal,
        source_line,
        section,
        metric,
        value,
        unit,
        amount_yuan,
        sentence
    from source
)

select * from final
