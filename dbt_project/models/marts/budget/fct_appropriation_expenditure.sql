-- 财政拨款支出: one row per document × department × function code × fund source × expenditure type
-- (grain), from the leaf rows of 一般公共预算支出表 (fund source general_public_budget), 政府性基金预算支出表
-- (government_fund_budget) and the expenditure side of 国有资本经营预算表 (state_capital_budget). A document
-- without 一般公共预算支出表 falls back to the expenditure side of 财政拨款收支总表 (by 类, fund source from the
-- column). These tables are 不含上年结转: carried-over appropriations are in fct_budget_revenue
-- (prior_year_carryover) and fct_project_budget. No total rows or columns: Σ amount_yuan = 财政拨款支出
-- of the year.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_appropriation_expenditure' and {{ incremental_documents() }}
),

final as (
    select
        left(md5(concat_ws('|', document_id, table_ordinal, row_ordinal, column_ordinal)), 16) as appropriation_key,
        document_id,
        department_key,
        fiscal_year,
        stage,
        function_code,
        function_code_source,
        fund_source_code,
        expenditure_type,
        cast(amount_yuan as decimal(18, 2)) as amount_yuan,
        amount_printed,
        unit as printed_unit,
        raw_text,
        statement_type,
        table_ordinal,
        table_title,
        row_ordinal,
        source_line,
        page_number,
        row_name as printed_name,
        column_path
    from routed
)

select * from final
