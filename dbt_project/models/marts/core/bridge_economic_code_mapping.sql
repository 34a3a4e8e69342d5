-- The mapping between the two 经济分类 systems as documents print it (grain: economic_code ×
-- government_economic_code): each pair of a 部门经济分类 款 and the 政府经济分类 款 printed beside it in a 基本支出
-- 经济分类表 (阳泉 2025: 基本工资 appears under 工资奖金津补贴 50101 for 机关 staff and under 工资福利支出 50501 for
-- 事业单位 staff). Derived from fct_basic_expenditure_economic; not money.
with

facts as (
    select * from {{ ref('fct_basic_expenditure_economic') }}
),

codes as (
    select * from {{ ref('dim_economic_code') }}
),

pairs as (
    select
        economic_code,
        government_economic_code,
        count(distinct document_id) as document_count,
        count(distinct concat_ws('|', document_id, table_ordinal, row_ordinal)) as printed_row_count,
        min(source_line) as first_source_line,
        min(document_id) as example_document_id
    from facts
    where economic_code is not null and government_economic_code is not null
    group by all
),

final as (
    select
        pairs.economic_code,
        department_codes.economic_name,
        pairs.government_economic_code,
        government_codes.economic_name as government_economic_name,
        pairs.document_count,
        pairs.printed_row_count,
        pairs.example_document_id,
        pairs.first_source_line
    from pairs
    left join codes as department_codes
        on pairs.economic_code = department_codes.economic_code
    left join codes as government_codes
        on pairs.government_economic_code = government_codes.economic_code
)

select * from final
