-- 一般公共预算项目支出 by 经济分类: one row per document × department × 部门经济分类 code × 政府经济分类 code
-- (grain), from the leaf rows of 一般公共预算支出表（按经济分类） (its 项目支出 column: 项目支出,
-- 专项业务经费支出) or of 一般公共预算项目支出表（按经济分类） (its only amount column). The 基本支出
-- money of the same classification is fct_basic_expenditure_economic: the two together are the
-- document's 一般公共预算 spending by 经济分类. Codes are printed (a pair "30201|50201" keeps the 政府
-- code beside the 部门 one) or mapped by name, as in fct_basic_expenditure_economic. No 类 or 合计
-- rows: Σ amount_yuan = 项目支出 of the table within the document's rounding.
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = 'fct_project_expenditure_economic'
),

economic_names as (
    select * from {{ ref('int_economic_code_names') }}
),

final as (
    select
        left(
            md5(concat_ws('|', routed.document_id, routed.table_ordinal, routed.row_ordinal, routed.column_ordinal)),
            16
        ) as project_economic_key,
        routed.document_id,
        routed.department_key,
        routed.fiscal_year,
        routed.stage,
        coalesce(routed.economic_code, department_names.economic_code) as economic_code,
        case
            when routed.economic_code is not null then 'printed'
            when department_names.economic_code is not null then 'name:' || department_names.match_kind
        end as economic_code_source,
        coalesce(
            nullif(regexp_extract(routed.code_raw, '^3\d{2}(?:\d{2})?\|(5\d{2}(?:\d{2})?)$', 1), ''),
            government_names.economic_code
        ) as government_economic_code,
        case
            when regexp_matches(routed.code_raw, '^3\d{2}(?:\d{2})?\|5\d{2}(?:\d{2})?$') then 'printed'
            when government_names.economic_code is not null then 'name:' || government_names.match_kind
        end as government_economic_code_source,
        routed.expenditure_type,
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
        coalesce(routed.economic_name_department, routed.row_name) as printed_department_item_name,
        routed.economic_name_government as printed_government_item_name,
        routed.column_path
    from routed
    left join economic_names as department_names
        on
            department_names.system = 'department'
            and regexp_replace(coalesce(routed.economic_name_department, routed.row_name), '\s+', '', 'g')
            = department_names.name_key
    left join economic_names as government_names
        on
            government_names.system = 'government'
            and regexp_replace(routed.economic_name_government, '\s+', '', 'g') = government_names.name_key
)

select * from final
