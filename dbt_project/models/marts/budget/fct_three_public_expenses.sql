-- "三公"经费 and 机关运行经费: one row per document × department × item × fund source (grain). Items are
-- rows (阳泉 2025 三公 table: 因公出国（境）费 … ②公务用车运行维护费; 机关运行经费 table: one row per unit) or
-- columns (闵行 2020 table 8). 公务用车购置及运行费 is kept only where its children (购置 / 运行维护) are not
-- printed, and 合计 never: Σ amount_yuan over is_three_public items = the printed 三公 合计.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_three_public_expenses' and {{ incremental_documents() }}
),

items as (
    select * from {{ ref('expense_items') }}
),

final as (
    select
        left(
            md5(concat_ws('|', routed.document_id, routed.table_ordinal, routed.row_ordinal, routed.column_ordinal)),
            16
        ) as three_public_key,
        routed.document_id,
        routed.department_key,
        routed.fiscal_year,
        routed.stage,
        routed.item_code,
        items.is_three_public,
        routed.fund_source_code,
        cast(routed.amount_yuan as decimal(18, 2)) as amount_yuan,
        routed.amount_printed,
        routed.unit as printed_unit,
        routed.raw_text,
        routed.statement_type,
        routed.table_ordinal,
        routed.table_title,
        routed.row_ordinal,
        routed.source_line,
        routed.page_number,
        routed.row_name as printed_name,
        routed.column_path
    from routed
    left join items
        on routed.item_code = items.item_code
)

select * from final
