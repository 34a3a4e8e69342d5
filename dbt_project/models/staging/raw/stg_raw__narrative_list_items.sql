-- Thin: rename/cast only. One row per name enumerated before a narrative count
-- (grain: document × figure_ordinal × item_ordinal).
with

source as (
    select * from {{ source('raw', 'narrative_list_items') }}
),

final as (
    select
        document_id,
        file_name,
        figure_ordinal,
        source_line,
        item_ordinal,
        name
    from source
)

select * from final
