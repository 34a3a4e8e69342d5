-- One row per budget unit a document's narrative lists before its unit count (grain: document ×
-- item_ordinal): "由阳泉市教育局本级、…等19个二级预算单位的预算组成" (001 line 79). Only the
-- document's first list counted by a "…单位数" figure: a document lists its units once.
with

list_items as (
    select * from {{ ref('stg_raw__narrative_list_items') }}
    where {{ incremental_documents() }}
),

figures as (
    select * from {{ ref('stg_raw__narrative_figures') }}
    where {{ incremental_documents() }}
),

final as (
    select
        list_items.document_id,
        list_items.figure_ordinal,
        list_items.source_line,
        list_items.item_ordinal,
        list_items.name
    from list_items
    inner join figures
        on
            list_items.document_id = figures.document_id
            and list_items.figure_ordinal = figures.figure_ordinal
    where figures.metric like '%单位数'
    qualify
        list_items.figure_ordinal
        = min(list_items.figure_ordinal) over (partition by list_items.document_id)
)

select * from final
