-- Every amount cell of every budget statement with exactly one disposition (grain: document_id ×
-- table_ordinal × row_ordinal × column_ordinal): the fact it feeds (destination_fact) with the
-- dimension values the fact needs, or why it feeds none (exclusion_reason). This is the audit trail
-- for "every figure reaches exactly one fact, and no fact holds a total beside its parts".
--
-- Routing rules (statement_type → fact):
--   revenue_summary 收入总表                         → fct_budget_revenue
--   expenditure_summary 支出总表                     → fct_budget_expenditure
--   gpb_expenditure_function 一般公共预算支出表,
--   government_fund_expenditure 政府性基金预算支出表,
--   state_capital 国有资本经营预算表 (expenditure side) → fct_appropriation_expenditure
--   gpb_basic_expenditure_economic 基本支出经济分类表  → fct_basic_expenditure_economic
--   three_public_expenses 三公, agency_operating_expenses 机关运行经费 → fct_three_public_expenses
--   project_expenditure(_carryover) 项目支出预算表    → fct_project_budget
--   gpb_expenditure_economic 一般公共预算支出表（按经济分类）: its 项目支出 column
--   → fct_project_expenditure_economic; its 基本支出 (or 人员经费 | 公用经费) columns repeat the
--   基本支出经济分类表 and feed fct_basic_expenditure_economic only when the document prints none
--   with data. gpb_project_expenditure_economic 一般公共预算项目支出表（按经济分类）
--   → fct_project_expenditure_economic, unless the document prints the whole
--   gpb_expenditure_economic table with data (then it repeats that table's 项目支出 column).
--   basic_expenditure 基本支出预算情况表 (every fund source) feeds fct_basic_expenditure_economic
--   (its 一般公共预算 column) only when the document prints no 基本支出经济分类表 with data.
--   gpb_basic_expenditure_function 一般公共预算基本支出表（按功能分类） repeats the 基本支出
--   column of 一般公共预算支出表: 'redundant_summary_table' (checked by reconciliation).
--   income_expenditure_summary 收支总表 and appropriation_summary 财政拨款收支总表 repeat the tables
--   above at 类 level: they feed a fact only when the document lacks the detailed table
--   (fallback), otherwise their cells are 'redundant_summary' (checked by reconciliation tests).
--   appropriation_expenditure_function 财政拨款支出表（功能科目） and
--   appropriation_basic_expenditure_economic 财政拨款基本支出表（经济科目） repeat the 一般公共预算
--   tables plus any 政府性基金 money: they feed fct_appropriation_expenditure /
--   fct_basic_expenditure_economic (fund source fiscal_appropriation) only when the document
--   prints no 一般公共预算 table of that kind with data, otherwise they are 'redundant_summary'.
-- Other years' figures feed no fact (the document's own year is the budget): a column headed with
-- an earlier year ("2025年预算数" beside "2026年预算数" in a 2026 budget's 三公 table) is
-- 'prior_year_column' (int_statement_column_stages.is_prior_year); a 三公 table printed by 年度
-- (one row per year) feeds only the budget year's row, the others and the change row are
-- 'comparison_row'. Its items may be column groups over fund-source columns (see path_items).
-- Within a fact only leaf rows and leaf columns are kept: a column whose fund source / expenditure
-- type / item is the parent of another printed column (合计, 财政拨款 beside 一般公共预算, 基本支出 beside
-- 人员经费 …) is excluded, so a sum over a fact never counts the same money twice. Likewise a fund's
-- share of a carry-over group (上年结转结余 / 一般公共预算资金) beside the group's 小计.
with

cells as (
    select * from {{ ref('int_statement_cells') }}
    where {{ incremental_documents() }}
),

fund_sources as (
    select * from {{ ref('fund_sources') }}
),

fund_source_names as (
    select * from {{ ref('fund_source_aliases') }}
),

expenditure_types as (
    select * from {{ ref('expenditure_types') }}
),

expense_items as (
    select * from {{ ref('expense_items') }}
),

expense_item_names as (
    select * from {{ ref('expense_item_aliases') }}
),

-- Measures printed per table side, and which detailed tables each document has data in. A column's
-- measure is that of its cells outside the carry-over rows: the cells of a 上年结转 row are measured
-- carryover whatever their column, so a 收支总表 whose income side prints 上年结转 as a row under a
-- single 预算数 column has one column (total), not a carryover column beside it.
column_measures as (
    select
        document_id,
        table_ordinal,
        side,
        column_ordinal,
        coalesce(min(measure) filter (where measure <> 'carryover'), 'carryover') as measure
    from cells
    group by all
),

table_measures as (
    select
        document_id,
        table_ordinal,
        side,
        list(distinct measure) as measures
    from column_measures
    group by all
),

document_tables as (
    select
        document_id,
        list(distinct statement_type) filter (where amount_yuan is not null) as types_with_data
    from cells
    group by all
),

-- Row items of 三公 tables (printed as rows): a parent item is shadowed when a child item is a row too.
row_items as (
    select distinct
        cells.document_id,
        cells.table_ordinal,
        cells.row_ordinal,
        expense_item_names.item_code
    from cells
    inner join expense_item_names
        on regexp_replace(cells.row_name, '\s+', '', 'g') = expense_item_names.printed_name
    where cells.statement_type = 'three_public_expenses'
),

shadowed_row_items as (
    select distinct
        parent_rows.document_id,
        parent_rows.table_ordinal,
        parent_rows.row_ordinal
    from row_items as parent_rows
    inner join expense_items as children
        on parent_rows.item_code = children.parent_item_code
    inner join row_items as child_rows
        on
            parent_rows.document_id = child_rows.document_id
            and parent_rows.table_ordinal = child_rows.table_ordinal
            and children.item_code = child_rows.item_code
),

-- 三公 items as column groups over fund-source columns: a column's item is the deepest label of
-- its path naming one; a parent item is shadowed when a child item is a column group too.
path_segments as (
    select
        document_id,
        table_ordinal,
        side,
        column_ordinal,
        unnest(string_split(column_path, ' / ')) as segment,
        generate_subscripts(string_split(column_path, ' / '), 1) as segment_depth
    from (
        select distinct
            document_id,
            table_ordinal,
            side,
            column_ordinal,
            column_path
        from cells
        where statement_type = 'three_public_expenses'
    ) as three_public_columns
),

path_items as (
    select
        path_segments.document_id,
        path_segments.table_ordinal,
        path_segments.side,
        path_segments.column_ordinal,
        -- the deepest named segment; two item codes at one depth: the last by code, not any
        arg_max(
            expense_item_names.item_code,
            (path_segments.segment_depth, expense_item_names.item_code)
        ) as item_code
    from path_segments
    inner join expense_item_names
        on regexp_replace(path_segments.segment, '\s+', '', 'g') = expense_item_names.printed_name
    group by all
),

table_path_items as (
    select
        document_id,
        table_ordinal,
        side,
        list(distinct item_code) as item_codes
    from path_items
    group by all
),

classified as (
    select
        cells.*,
        table_measures.measures,
        document_tables.types_with_data,
        measure_fund.fund_source_code as measure_fund_source_code,
        exists(
            select 1
            from fund_sources as children
            where
                children.parent_fund_source_code = measure_fund.fund_source_code
                and list_contains(table_measures.measures, children.measure)
        ) as is_fund_source_shadowed,
        exists(
            select 1
            from fund_sources as any_source
            where list_contains(table_measures.measures, any_source.measure)
        ) as table_has_fund_source_measures,
        measure_type.expenditure_type as measure_expenditure_type,
        exists(
            select 1
            from expenditure_types as children
            where
                children.parent_expenditure_type = measure_type.expenditure_type
                and list_contains(table_measures.measures, children.measure)
        ) as is_type_shadowed,
        list_has_any(table_measures.measures, ['basic', 'personnel', 'public', 'project'])
            as table_has_type_measures,
        list_has_any(table_measures.measures, ['current_year', 'carryover']) as table_has_period_measures,
        measure_item.item_code as measure_item_code,
        exists(
            select 1
            from expense_items as children
            where
                children.parent_item_code = measure_item.item_code
                and list_contains(table_measures.measures, children.measure)
        ) as is_item_shadowed,
        exists(
            select 1
            from expense_items as any_item
            where list_contains(table_measures.measures, any_item.measure)
        ) as table_has_item_measures,
        path_item.item_code as path_item_code,
        table_path_items.item_codes is not null as table_has_path_items,
        exists(
            select 1
            from expense_items as children
            where
                children.parent_item_code = path_item.item_code
                and list_contains(table_path_items.item_codes, children.item_code)
        ) as is_path_item_shadowed,
        -- a 三公 row of another year (2025 年 in a 2026 budget) or the change (增减变化金额)
        cells.statement_type in ('three_public_expenses', 'agency_operating_expenses')
        and (
            (
                regexp_matches(regexp_replace(cells.row_name, '\s+', '', 'g'), '^[0-9]{4}年')
                and not starts_with(
                    regexp_replace(cells.row_name, '\s+', '', 'g'), cells.fiscal_year::varchar || '年'
                )
            )
            or regexp_matches(cells.row_name, '增减|变化|比上年')
        ) as is_comparison_row,
        row_fund.fund_source_code as row_fund_source_code,
        row_item.item_code as row_item_code,
        shadowed_row_items.row_ordinal is not null as is_row_item_shadowed,
        -- one fund's share of a carry-over group whose 小计 the table prints: the 小计 is the
        -- fact's prior_year_carryover row
        {{ carryover_breakdown('cells.column_path', 'cells.measure') }}
        and list_contains(table_measures.measures, 'carryover') as is_carryover_breakdown
    from cells
    inner join table_measures
        on
            cells.document_id = table_measures.document_id
            and cells.table_ordinal = table_measures.table_ordinal
            and cells.side is not distinct from table_measures.side
    inner join document_tables
        on cells.document_id = document_tables.document_id
    left join fund_sources as measure_fund
        on cells.measure = measure_fund.measure
    left join expenditure_types as measure_type
        on cells.measure = measure_type.measure
    left join expense_items as measure_item
        on cells.measure = measure_item.measure
    left join path_items as path_item
        on
            cells.document_id = path_item.document_id
            and cells.table_ordinal = path_item.table_ordinal
            and cells.side is not distinct from path_item.side
            and cells.column_ordinal = path_item.column_ordinal
    left join table_path_items
        on
            cells.document_id = table_path_items.document_id
            and cells.table_ordinal = table_path_items.table_ordinal
            and cells.side is not distinct from table_path_items.side
    left join fund_source_names as row_fund
        on regexp_replace(cells.row_name, '\s+', '', 'g') = row_fund.printed_name
    left join row_items as row_item
        on
            cells.document_id = row_item.document_id
            and cells.table_ordinal = row_item.table_ordinal
            and cells.row_ordinal = row_item.row_ordinal
    left join shadowed_row_items
        on
            cells.document_id = shadowed_row_items.document_id
            and cells.table_ordinal = shadowed_row_items.table_ordinal
            and cells.row_ordinal = shadowed_row_items.row_ordinal
),

-- Step 1: which fact the table (side) feeds.
table_routed as (
    select
        *,
        case
            when statement_type = 'revenue_summary' then 'fct_budget_revenue'
            when statement_type = 'expenditure_summary' then 'fct_budget_expenditure'
            when statement_type in ('gpb_expenditure_function', 'government_fund_expenditure')
                then 'fct_appropriation_expenditure'
            when statement_type = 'state_capital' and (side is null or side <> 'income')
                then 'fct_appropriation_expenditure'
            when statement_type = 'gpb_basic_expenditure_economic' then 'fct_basic_expenditure_economic'
            when statement_type = 'gpb_expenditure_economic' and measure = 'project'
                then 'fct_project_expenditure_economic'
            when
                statement_type = 'gpb_expenditure_economic'
                and not list_contains(types_with_data, 'gpb_basic_expenditure_economic')
                then 'fct_basic_expenditure_economic'
            when
                statement_type = 'gpb_project_expenditure_economic'
                and not list_contains(types_with_data, 'gpb_expenditure_economic')
                then 'fct_project_expenditure_economic'
            when
                statement_type = 'basic_expenditure'
                and not list_has_any(
                    types_with_data,
                    [
                        'gpb_basic_expenditure_economic',
                        'appropriation_basic_expenditure_economic',
                        'gpb_expenditure_economic'
                    ]
                )
                then 'fct_basic_expenditure_economic'
            when statement_type in ('three_public_expenses', 'agency_operating_expenses')
                then 'fct_three_public_expenses'
            when statement_type in ('project_expenditure', 'project_expenditure_carryover')
                then 'fct_project_budget'
            when
                statement_type = 'income_expenditure_summary' and side = 'income'
                and not list_contains(types_with_data, 'revenue_summary')
                then 'fct_budget_revenue'
            when
                statement_type = 'income_expenditure_summary' and side = 'expenditure'
                and not list_contains(types_with_data, 'expenditure_summary')
                then 'fct_budget_expenditure'
            when
                statement_type = 'appropriation_summary' and side = 'expenditure'
                and not list_contains(types_with_data, 'gpb_expenditure_function')
                then 'fct_appropriation_expenditure'
            when
                statement_type = 'appropriation_expenditure_function'
                and not list_contains(types_with_data, 'gpb_expenditure_function')
                then 'fct_appropriation_expenditure'
            when
                statement_type = 'appropriation_basic_expenditure_economic'
                and not list_contains(types_with_data, 'gpb_basic_expenditure_economic')
                then 'fct_basic_expenditure_economic'
        end as table_fact
    from classified
),

-- Step 2: within the fact, keep leaf rows and leaf columns, and derive the fact's dimensions.
measure_routed as (
    select
        *,
        case
            when table_fact = 'fct_budget_revenue'
                then
                    case
                        when measure_fund_source_code is not null and not is_fund_source_shadowed
                            then measure_fund_source_code
                        when not table_has_fund_source_measures and measure in ('total', 'current_year')
                            then row_fund_source_code
                    end
            when table_fact = 'fct_appropriation_expenditure'
                then
                    case
                        when statement_type = 'gpb_expenditure_function' then 'general_public_budget'
                        when statement_type = 'appropriation_expenditure_function' then 'fiscal_appropriation'
                        when statement_type = 'government_fund_expenditure' then 'government_fund_budget'
                        when statement_type = 'state_capital' then 'state_capital_budget'
                        when measure_fund_source_code is not null and not is_fund_source_shadowed
                            then measure_fund_source_code
                        when not table_has_fund_source_measures and measure = 'total' then 'fiscal_appropriation'
                    end
            when table_fact = 'fct_basic_expenditure_economic'
                then
                    case
                        when statement_type = 'appropriation_basic_expenditure_economic' then 'fiscal_appropriation'
                        else 'general_public_budget'
                    end
            when table_fact = 'fct_project_expenditure_economic' then 'general_public_budget'
            when table_fact in ('fct_three_public_expenses', 'fct_project_budget')
                then
                    case
                        when statement_type = 'project_expenditure_carryover' then 'prior_year_carryover'
                        when measure_fund_source_code is not null and not is_fund_source_shadowed
                            then measure_fund_source_code
                    end
        end as fund_source_code,
        case
            when statement_type = 'project_expenditure_carryover' then measure_fund_source_code
        end as carried_over_fund_source_code,
        case
            when
                table_fact in ('fct_budget_expenditure', 'fct_appropriation_expenditure')
                and measure_expenditure_type is not null and not is_type_shadowed
                then measure_expenditure_type
            when table_fact = 'fct_basic_expenditure_economic' and measure in ('personnel', 'public', 'basic')
                then measure_expenditure_type
            when table_fact = 'fct_project_expenditure_economic' then 'project'
        end as expenditure_type,
        case
            when statement_type = 'project_expenditure_carryover' then 'carryover'
            when measure = 'carryover' then 'carryover'
            when measure = 'current_year' then 'current_year'
        end as budget_period,
        case
            when table_fact = 'fct_three_public_expenses'
                then
                    case
                        when table_has_item_measures
                            then
                                case
                                    when measure_item_code is not null and not is_item_shadowed then measure_item_code
                                end
                        when statement_type = 'agency_operating_expenses' then 'agency_operating'
                        when table_has_path_items
                            then case when not is_path_item_shadowed then path_item_code end
                        when not is_row_item_shadowed then row_item_code
                    end
        end as item_code,
        -- Is the cell a leaf column of its fact?
        case
            when table_fact = 'fct_budget_revenue'
                then
                    (
                        measure_fund_source_code is not null and not is_fund_source_shadowed
                        and not is_carryover_breakdown
                    )
                    or (not table_has_fund_source_measures and measure in ('total', 'current_year'))
            when table_fact = 'fct_budget_expenditure'
                then
                    case
                        when table_has_type_measures
                            then measure_expenditure_type is not null and not is_type_shadowed
                        -- 本年预算 = 编制预算 + 上年结转: the two periods; a 上年结转 printed
                        -- alone beside the total ("其中：上年结转") is part of it, the total is kept
                        when list_has_all(measures, ['current_year', 'carryover'])
                            then measure in ('current_year', 'carryover')
                        when list_contains(measures, 'total') then measure = 'total'
                        when table_has_period_measures then measure in ('current_year', 'carryover')
                        else measure = 'total'
                    end
            when table_fact = 'fct_appropriation_expenditure'
                then
                    case
                        when statement_type = 'appropriation_summary'
                            then
                                (measure_fund_source_code is not null and not is_fund_source_shadowed)
                                or (not table_has_fund_source_measures and measure = 'total')
                        when table_has_type_measures
                            then measure_expenditure_type is not null and not is_type_shadowed
                        else measure = 'total'
                    end
            when table_fact = 'fct_basic_expenditure_economic'
                then
                    case
                        when list_has_any(measures, ['personnel', 'public']) then measure in ('personnel', 'public')
                        -- 一般公共预算支出表（按经济分类） printing 基本支出 | 项目支出: its 基本支出 column
                        when statement_type = 'gpb_expenditure_economic' then measure = 'basic'
                        -- a 基本支出总表 printing every fund source: its 一般公共预算 column
                        when list_contains(measures, 'general_public_budget') then measure = 'general_public_budget'
                        else measure = 'total'
                    end
            when table_fact = 'fct_project_expenditure_economic'
                then measure = case when statement_type = 'gpb_expenditure_economic' then 'project' else 'total' end
            when table_fact = 'fct_three_public_expenses'
                then
                    case
                        when table_has_item_measures then measure_item_code is not null and not is_item_shadowed
                        when table_has_fund_source_measures
                            then measure_fund_source_code is not null and not is_fund_source_shadowed
                        else measure = 'total'
                    end
                    and (
                        table_has_item_measures
                        or statement_type = 'agency_operating_expenses'
                        or not is_row_item_shadowed
                    )
                    and (
                        table_has_item_measures
                        or not table_has_path_items
                        or (path_item_code is not null and not is_path_item_shadowed)
                    )
            when table_fact = 'fct_project_budget'
                then
                    case
                        when table_has_fund_source_measures
                            then measure_fund_source_code is not null and not is_fund_source_shadowed
                        else measure = 'total'
                    end
                    and project_name is not null
        end as is_leaf_column
    from table_routed
),

final as (
    select
        document_id,
        file_name,
        fiscal_year,
        table_ordinal,
        statement_type,
        table_title,
        row_ordinal,
        source_line,
        page_number,
        side,
        row_name,
        row_role,
        row_level,
        is_leaf_row,
        code_raw,
        function_code,
        function_code_source,
        economic_code,
        economic_name_department,
        economic_name_government,
        unit_name,
        project_name,
        department_key,
        column_ordinal,
        column_path,
        measure,
        stage,
        is_prior_year_column,
        raw_text,
        amount_printed,
        unit,
        amount_yuan,
        fund_source_code,
        carried_over_fund_source_code,
        expenditure_type,
        budget_period,
        item_code,
        case
            when amount_yuan is null then null
            when table_fact is null then null
            when coalesce(is_prior_year_column, false) then null
            when not is_leaf_row then null
            when is_comparison_row then null
            when not is_leaf_column then null
            else table_fact
        end as destination_fact,
        case
            when amount_yuan is null and is_dash then 'dash_cell'
            when amount_yuan is null then 'blank_cell'
            when
                table_fact is null
                and statement_type in (
                    'income_expenditure_summary', 'appropriation_summary', 'government_fund_revenue', 'state_capital',
                    'appropriation_expenditure_function', 'appropriation_basic_expenditure_economic',
                    'gpb_expenditure_economic', 'gpb_project_expenditure_economic', 'gpb_basic_expenditure_function',
                    'basic_expenditure'
                )
                then 'redundant_summary_table'
            when table_fact is null then 'unrouted_statement_type'
            when coalesce(is_prior_year_column, false) then 'prior_year_column'
            when not is_leaf_row then 'total_or_subtotal_row'
            when is_comparison_row then 'comparison_row'
            when not is_leaf_column then 'total_or_parent_column'
        end as exclusion_reason
    from measure_routed
)

select * from final
