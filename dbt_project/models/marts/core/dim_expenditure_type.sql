-- One row per expenditure type 支出类型 (grain: expenditure_type): 基本支出 with 人员经费 / 公用经费, 项目支出.
with

types as (
    select * from {{ ref('expenditure_types') }}
),

final as (
    select
        expenditure_type,
        name as expenditure_type_name,
        parent_expenditure_type,
        measure as statement_measure
    from types
)

select * from final
