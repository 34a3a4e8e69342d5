-- Every printed name or code the warehouse could not resolve to a reference row (grain: name_kind ×
-- document_id × source_model × source_line × printed_name). Nothing is dropped silently: the fact
-- rows concerned keep their amount with a null code (or, for departments, a dimension row marked
-- unattested). Fix by adding the variant to the alias seed it names (resolution_hint).
with

departments as (
    select * from {{ ref('dim_department') }}
),

mentions as (
    select * from {{ ref('int_department_mentions') }}
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

economic_codes as (
    select * from {{ ref('dim_economic_code') }}
),

economic_names as (
    select * from {{ ref('int_economic_code_names') }}
),

cells as (
    select * from {{ ref('int_statement_cells_routed') }}
),

basic_economic as (
    select * from {{ ref('fct_basic_expenditure_economic') }}
),

three_public as (
    select * from {{ ref('fct_three_public_expenses') }}
),

revenue as (
    select * from {{ ref('fct_budget_revenue') }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
),

unattested_departments as (
    select
        'department_name' as name_kind,
        mentions.document_id,
        'dim_department' as source_model,
        cast(null as integer) as source_line,
        mentions.printed_name,
        'printed ' || count(*) || ' times, only in performance tables ('
        || string_agg(distinct mentions.mention_source, ', ') || '); no budget statement prints this unit'
            as detail,
        'seeds/department_aliases.csv' as resolution_hint
    from departments
    inner join mentions
        on departments.department_key = mentions.department_key
    where departments.resolution_status = 'unattested'
    group by mentions.document_id, mentions.printed_name
),

unknown_function_codes as (
    select distinct
        'function_code_not_in_reference' as name_kind,
        cells.document_id,
        'dim_function_code' as source_model,
        cells.source_line,
        cells.function_code || ' ' || coalesce(cells.row_name, '') as printed_name,
        'code printed in ' || cells.statement_type || ' but not in the 2025 reference seed' as detail,
        'seeds/function_codes.csv' as resolution_hint
    from cells
    inner join function_codes
        on cells.function_code = function_codes.function_code
    where not function_codes.is_in_reference
),

unmapped_function_names as (
    select distinct
        'function_name_unmapped' as name_kind,
        document_id,
        destination_fact as source_model,
        source_line,
        row_name as printed_name,
        'row without a printed code whose name maps to no 类 (name or alias)' as detail,
        'seeds/function_code_aliases.csv' as resolution_hint
    from cells
    where
        destination_fact in ('fct_budget_expenditure', 'fct_appropriation_expenditure')
        and function_code is null
        -- a table printing only its total row (the lone "合计 0.00" of an empty 政府性基金预算支出表,
        -- or the unit's own row) carries it as its leaf: no 功能分类 name to map
        and row_role <> 'total'
),

unknown_economic_codes as (
    select distinct
        'economic_code_not_in_reference' as name_kind,
        basic_economic.document_id,
        'fct_basic_expenditure_economic' as source_model,
        basic_economic.source_line,
        basic_economic.economic_code || ' ' || coalesce(basic_economic.printed_department_item_name, '')
            as printed_name,
        'code printed but not in the reference seed' as detail,
        'seeds/economic_codes.csv' as resolution_hint
    from basic_economic
    inner join economic_codes
        on basic_economic.economic_code = economic_codes.economic_code
    where not economic_codes.is_in_reference
),

unmapped_economic_names as (
    select distinct
        'economic_name_unmapped' as name_kind,
        document_id,
        'fct_basic_expenditure_economic' as source_model,
        source_line,
        printed_department_item_name as printed_name,
        '部门经济分类 name maps to no code' as detail,
        'seeds/economic_code_aliases.csv' as resolution_hint
    from basic_economic
    where economic_code is null
    union all
    select distinct
        'economic_name_unmapped' as name_kind,
        document_id,
        'fct_basic_expenditure_economic' as source_model,
        source_line,
        printed_government_item_name as printed_name,
        '政府经济分类 name maps to no code' as detail,
        'seeds/economic_code_aliases.csv' as resolution_hint
    from basic_economic
    where printed_government_item_name is not null and government_economic_code is null
),

ambiguous_economic_names as (
    select distinct
        'economic_name_ambiguous' as name_kind,
        basic_economic.document_id,
        'fct_basic_expenditure_economic' as source_model,
        basic_economic.source_line,
        basic_economic.printed_department_item_name as printed_name,
        'name is the official name of more than one 款 of the system; lowest code taken' as detail,
        'seeds/economic_code_aliases.csv' as resolution_hint
    from basic_economic
    inner join economic_names
        on
            economic_names.system = 'department'
            and regexp_replace(basic_economic.printed_department_item_name, '\s+', '', 'g') = economic_names.name_key
    where basic_economic.economic_code_source like 'name:%' and economic_names.is_ambiguous
),

unmapped_fund_sources as (
    select distinct
        'fund_source_unmapped' as name_kind,
        document_id,
        'fct_budget_revenue' as source_model,
        source_line,
        printed_name,
        'income row whose name maps to no fund source' as detail,
        'seeds/fund_source_aliases.csv' as resolution_hint
    from revenue
    where fund_source_code is null
),

unmapped_items as (
    select distinct
        'expense_item_unmapped' as name_kind,
        document_id,
        'fct_three_public_expenses' as source_model,
        source_line,
        printed_name,
        '三公 row whose name maps to no item' as detail,
        'seeds/expense_item_aliases.csv' as resolution_hint
    from three_public
    where item_code is null
),

unmatched_performance_tables as (
    select
        'project_performance_table_unmatched' as name_kind,
        document_id,
        'dim_project' as source_model,
        first_line as source_line,
        project_name as printed_name,
        'project performance table matched to no 项目支出预算表 row: ' || coalesce(match_reason, '') as detail,
        'orchestration/extract (project matcher)' as resolution_hint
    from performance_tables
    where family = 'project_target' and match_method = 'unmatched'
),

final as (
    select * from unattested_departments
    union all
    select * from unknown_function_codes
    union all
    select * from unmapped_function_names
    union all
    select * from unknown_economic_codes
    union all
    select * from unmapped_economic_names
    union all
    select * from ambiguous_economic_names
    union all
    select * from unmapped_fund_sources
    union all
    select * from unmapped_items
    union all
    select * from unmatched_performance_tables
)

select * from final
