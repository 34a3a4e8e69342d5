-- The same department in consecutive years (grain: department_key × scope × stage × function_code ×
-- fiscal_year): the amount of the year beside the previous year's for the same code (codes of an
-- older scheme conformed through function_code_crosswalk), the change and the change rate. A code
-- with no figure in the previous year has previous_year_yuan null (comparison 'new_in_year').
with

amounts as (
    select
        department_key,
        fiscal_year,
        scope,
        stage,
        function_code,
        -- one printed form of the code, the same on every build
        min(printed_function_code) as printed_function_code,
        sum(amount_yuan) as amount_yuan
    from {{ ref('int_stage_amounts') }}
    group by all
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

final as (
    select
        amounts.department_key,
        amounts.scope,
        amounts.stage,
        amounts.function_code,
        left(amounts.function_code, 3) as function_class_code,
        function_codes.function_name,
        amounts.fiscal_year,
        amounts.printed_function_code,
        cast(amounts.amount_yuan as decimal(18, 2)) as amount_yuan,
        previous.fiscal_year as previous_fiscal_year,
        previous.printed_function_code as previous_printed_function_code,
        cast(previous.amount_yuan as decimal(18, 2)) as previous_year_yuan,
        cast(amounts.amount_yuan - previous.amount_yuan as decimal(18, 2)) as change_yuan,
        case
            when previous.amount_yuan > 0
                then
                    cast(
                        round(100 * (amounts.amount_yuan - previous.amount_yuan) / previous.amount_yuan, 2)
                        as decimal(9, 2)
                    )
        end as change_rate_pct,
        case when previous.amount_yuan is null then 'new_in_year' else 'both_years' end as comparison
    from amounts
    left join amounts as previous
        on
            amounts.department_key = previous.department_key
            and amounts.scope = previous.scope
            and amounts.stage = previous.stage
            and amounts.function_code = previous.function_code
            and amounts.fiscal_year = previous.fiscal_year + 1
    left join function_codes
        on amounts.function_code = function_codes.function_code
)

select * from final
