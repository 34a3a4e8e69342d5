-- Budget against outturn (grain: department_key × fiscal_year × scope × function_code): the
-- budget (from the 预算 document, else the 决算's own 年初预算数 column, else its narrative; budget_source
-- says which), the adjusted budget where a 决算 prints one, the outturn (决算), their difference and
-- the execution rate. A row with only one side says so in comparison (budget_only / outturn_only).
-- Amounts are the leaf 项 (or the finest code printed); sum by left(function_code, 3) for a class.
with

amounts as (
    select * from {{ ref('int_stage_amounts') }}
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

pivoted as (
    select
        department_key,
        fiscal_year,
        scope,
        function_code,
        sum(amount_yuan) filter (where stage = 'budget') as budget_yuan,
        min(amount_source) filter (where stage = 'budget') as budget_source,
        sum(amount_yuan) filter (where stage = 'adjusted_budget') as adjusted_budget_yuan,
        sum(amount_yuan) filter (where stage = 'final') as final_yuan,
        list_distinct(flatten(list(document_ids))) as document_ids
    from amounts
    group by all
),

final as (
    select
        pivoted.department_key,
        pivoted.fiscal_year,
        pivoted.scope,
        pivoted.function_code,
        left(pivoted.function_code, 3) as function_class_code,
        function_codes.function_name,
        cast(pivoted.budget_yuan as decimal(18, 2)) as budget_yuan,
        pivoted.budget_source,
        cast(pivoted.adjusted_budget_yuan as decimal(18, 2)) as adjusted_budget_yuan,
        cast(pivoted.final_yuan as decimal(18, 2)) as final_yuan,
        cast(pivoted.final_yuan - pivoted.budget_yuan as decimal(18, 2)) as difference_yuan,
        case
            when pivoted.budget_yuan > 0
                then cast(round(100 * pivoted.final_yuan / pivoted.budget_yuan, 2) as decimal(9, 2))
        end as execution_rate_pct,
        case
            when pivoted.budget_yuan is not null and pivoted.final_yuan is not null then 'budget_and_outturn'
            when pivoted.budget_yuan is not null then 'budget_only'
            else 'outturn_only'
        end as comparison,
        pivoted.document_ids
    from pivoted
    left join function_codes
        on pivoted.function_code = function_codes.function_code
)

select * from final
