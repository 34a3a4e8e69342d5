-- One row per "三公"经费 item or 机关运行经费 (grain: item_code), with parent (公务用车购置及运行费 → 购置 / 运行维护).
with

items as (
    select * from {{ ref('expense_items') }}
),

final as (
    select
        item_code,
        name as item_name,
        parent_item_code,
        is_three_public,
        sort_order
    from items
)

select * from final
