-- 项目支出预算: one row per document × project × fund source (grain), from the project rows of 项目支出预算表
-- (本年预算 and 上年结转). Unit subtotal rows and the department total row are never included, nor the 合计
-- column: Σ amount_yuan = the table's printed total within the document's rounding (阳泉 2025: 222
-- project rows sum to 16246.08 万元 against the printed 16246.07). Carried-over projects (上年结转 table)
-- have fund_source_code prior_year_carryover and budget_period 'carryover'; the column they were printed
-- under is carried_over_fund_source_code.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_project_budget' and {{ incremental_documents() }}
),

project_rows as (
    select * from {{ ref('int_project_rows') }}
    where {{ incremental_documents() }}
),

final as (
    select
        left(
            md5(concat_ws('|', routed.document_id, routed.table_ordinal, routed.row_ordinal, routed.column_ordinal)),
            16
        ) as project_budget_key,
        routed.document_id,
        project_rows.project_key,
        routed.department_key,
        routed.fiscal_year,
        routed.stage,
        routed.fund_source_code,
        routed.carried_over_fund_source_code,
        coalesce(routed.budget_period, 'current_year') as budget_period,
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
        routed.project_name as printed_project_name,
        routed.unit_name as printed_unit_name,
        routed.column_path
    from routed
    left join project_rows
        on
            routed.document_id = project_rows.document_id
            and routed.table_ordinal = project_rows.table_ordinal
            and routed.row_ordinal = project_rows.row_ordinal
)

select * from final
