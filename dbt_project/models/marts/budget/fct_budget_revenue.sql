-- 预算收入: one row per document × department × function code × fund source (grain), from the leaf
-- rows of 收入总表 (and, only for a document that prints no 收入总表, from the income side of 收支总表,
-- where function_code is null because such tables give source totals only). Never a total row
-- (合计 / 类 / 款 subtotals) or a total column (合计, 财政拨款 beside its 一般公共预算 child): Σ amount_yuan
-- over a document is its 收入总计 (本年收入 + 上年结转), within the document's own rounding.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_budget_revenue' and {{ incremental_documents() }}
),

final as (
    select
        left(md5(concat_ws('|', document_id, table_ordinal, row_ordinal, column_ordinal)), 16) as revenue_key,
        document_id,
        department_key,
        fiscal_year,
        stage,
        function_code,
        function_code_source,
        fund_source_code,
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
