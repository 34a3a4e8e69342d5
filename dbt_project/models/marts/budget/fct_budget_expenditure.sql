-- 预算支出 (all funds): one row per document × department × function code × 部门经济分类 code ×
-- expenditure type (grain; the economic code only where 支出总表 is cross-classified, printing each
-- function code's spending by 政府 / 部门经济分类 item, else null), from the leaf rows of 支出总表
-- (basic / project, or basic_personnel / basic_public / project where the table splits 基本支出).
-- Only for a document without 支出总表, the expenditure side of 收支总表 is used
-- (by 类, mapped by name; its columns may be 当年 / 上年结转 = budget_period instead of a type). Never a
-- total row or column: Σ amount_yuan over a document = its 支出合计 within the document's rounding.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_budget_expenditure' and {{ incremental_documents() }}
),

final as (
    select
        left(md5(concat_ws('|', document_id, table_ordinal, row_ordinal, column_ordinal)), 16) as expenditure_key,
        document_id,
        department_key,
        fiscal_year,
        stage,
        function_code,
        function_code_source,
        economic_code,
        expenditure_type,
        budget_period,
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
