-- One row per department × fiscal year × scope × function code × stage (grain), the amount picked
-- from the best source the warehouse holds:
--   scope all_funds          支出总表 / 支出决算表 (fct_budget_expenditure)
--   scope gpb_appropriation  一般公共预算(财政拨款)支出表 / …支出决算表 (fct_appropriation_expenditure,
--                            fund general_public_budget), and the budgets a 决算 narrative states
--                            per 项 ("年初预算为5717.32万元")
--   stage budget             the 预算 document (budget_document), else the 决算's own 年初预算数 /
--                            预算数 column (final_accounts_table), else its narrative
--                            (final_accounts_narrative)
--   stage adjusted_budget    the 决算's 调整预算数 column
--   stage final              the 决算's tables
-- Only current documents: when several versions of one publication are loaded (a re-published
-- 决算, a corrected copy), the current one (int_document_versions) is used, so that no amount is
-- counted twice.
-- function_code is conformed to the newest scheme through function_code_crosswalk (a figure of a year
-- before a code changed is reported under the new code; printed_function_code keeps the old one).
with

documents as (
    select * from {{ ref('int_documents') }}
),

issuers as (
    {{ document_issuers() }}
),

crosswalk as (
    select * from {{ ref('function_code_crosswalk') }}
),

-- the current version of each publication (int_document_versions: the one definition of
-- "current", which dim_document.is_current shows), so that a republished document's amounts are
-- not counted beside the original's
chosen_documents as (
    select versions.document_id
    from {{ ref('int_document_versions') }} as versions
    inner join documents
        on versions.document_id = documents.document_id
    where documents.extraction_status = 'loaded' and versions.is_current
),

table_amounts as (
    select
        department_key,
        fiscal_year,
        'all_funds' as scope,
        function_code,
        stage,
        document_id,
        amount_yuan
    from {{ ref('fct_budget_expenditure') }}
    where function_code is not null
    union all
    select
        department_key,
        fiscal_year,
        'gpb_appropriation' as scope,
        function_code,
        stage,
        document_id,
        amount_yuan
    from {{ ref('fct_appropriation_expenditure') }}
    where function_code is not null and fund_source_code = 'general_public_budget'
),

sourced as (
    select
        table_amounts.department_key,
        table_amounts.fiscal_year,
        table_amounts.scope,
        table_amounts.function_code,
        table_amounts.stage,
        case
            when documents.document_kind = '决算' then 'final_accounts_table'
            else 'budget_document'
        end as amount_source,
        table_amounts.document_id,
        table_amounts.amount_yuan
    from table_amounts
    inner join documents
        on table_amounts.document_id = documents.document_id
    inner join chosen_documents
        on table_amounts.document_id = chosen_documents.document_id
    union all
    select
        issuers.department_key,
        documents.fiscal_year,
        'gpb_appropriation' as scope,
        statements.function_code,
        'budget' as stage,  -- public column name -- noqa: RF04
        'final_accounts_narrative' as amount_source,
        statements.document_id,
        statements.budget_yuan as amount_yuan
    from {{ ref('int_execution_statements') }} as statements
    inner join documents
        on statements.document_id = documents.document_id
    inner join issuers
        on statements.document_id = issuers.document_id
    inner join chosen_documents
        on statements.document_id = chosen_documents.document_id
    where
        statements.subject_kind = 'function_code'
        and statements.budget_yuan is not null
        and statements.budget_basis in ('年初预算', '预算')
),

by_source as (
    select
        department_key,
        fiscal_year,
        scope,
        function_code,
        stage,
        amount_source,
        sum(amount_yuan) as amount_yuan,
        list(distinct document_id order by document_id) as document_ids
    from sourced
    group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by department_key, fiscal_year, scope, function_code, stage
            order by
                case amount_source
                    when 'budget_document' then 1
                    when 'final_accounts_table' then 2
                    else 3
                end
        ) as source_rank
    from by_source
),

final as (
    select
        ranked.department_key,
        ranked.fiscal_year,
        ranked.scope,
        coalesce(crosswalk.to_code, ranked.function_code) as function_code,
        ranked.function_code as printed_function_code,
        ranked.stage,
        ranked.amount_source,
        cast(ranked.amount_yuan as decimal(18, 2)) as amount_yuan,
        ranked.document_ids
    from ranked
    left join crosswalk
        on
            ranked.function_code = crosswalk.from_code
            and ranked.fiscal_year < crosswalk.effective_year
            and crosswalk.from_code <> crosswalk.to_code
    where ranked.source_rank = 1
)

select * from final
