-- One row per project-level check instance (grain: document × rule × performance table
-- [× period] or × detail row): the identities inside and between a project's performance
-- tables and the project budget table.
--   performance_sources  a funding figure (lhs axis) = sum of its parts (rhs axes), per table
--                        and period; the catalogue row names the axes
--   performance_match    a project table's annual amount (年度资金总额, else 当年预算) = the
--                        amount of its matched 项目支出预算表 row
--   detail_product       项目构成分解 明细金额 = 单价 × 数量, per detail row
--   detail_total         项目构成分解 金额合计 = sum of 明细金额, per table
--   detail_vs_funding    项目构成分解 金额合计 = the table's 当年预算
--   table_coverage       every project row of the 项目支出预算表 has a performance table, and
--                        every project performance table a project row (1 = matched); only
--                        where the document prints both (001: 2 rows and 3 tables unmatched)
with

rules as (
    select
        *,
        {{ reconciliation_split('rhs', '+') }} as rhs_axes
    from {{ ref('reconciliation_rules') }}
),

performance_tables as (
    select * from {{ ref('stg_raw__performance_tables') }}
    where {{ incremental_documents() }}
),

funding as (
    select
        performance_funding.*,
        coalesce(performance_funding.amount_yuan, 0) as value_yuan,
        performance_funding.amount_yuan is null as is_blank_value,
        case
            when performance_funding.amount_yuan is null then 0
            else {{ reconciliation_half_unit_yuan('performance_funding.unit') }}
        end as half_unit_yuan,
        (
            performance_funding.amount_yuan is null
            and not performance_funding.is_blank
            and trim(coalesce(performance_funding.raw_text, '')) not in ('', '-', '—')
        ) as is_unreadable,
        performance_tables.title
        || ' line ' || performance_funding.source_line::varchar
        || ' [' || performance_funding.funding_label || '] = '
        || coalesce(nullif(performance_funding.raw_text, ''), 'blank') as citation
    from {{ ref('stg_raw__performance_funding') }} as performance_funding
    inner join performance_tables
        on
            performance_funding.document_id = performance_tables.document_id
            and performance_funding.perf_ordinal = performance_tables.perf_ordinal
    where {{ incremental_documents('performance_funding.document_id') }}
),

table_label as (
    select
        document_id,
        perf_ordinal,
        'L' || first_line::varchar || ' '
        || coalesce(project_name, project_name_raw, title) as label  -- noqa: RF04
    from performance_tables
),

-- performance_sources ----------------------------------------------------------------------
source_rules as (
    select
        *,
        {{ reconciliation_split('lhs', '|') }} as lhs_axes
    from rules
    where implementation = 'performance_sources'
),

-- An axis that is a part in more than one rule ("other": 其他 level of government, and 其他资金
-- beside 财政拨款) does not by itself show which breakdown a table prints: a table printing
-- 资金总额 | 财政拨款 | 其他资金 is no breakdown by level of government.
rule_axes as (
    select
        rule_id,
        unnest(rhs_axes) as funding_axis
    from source_rules
),

shared_axes as (
    select funding_axis
    from rule_axes
    group by funding_axis
    having count(distinct rule_id) > 1
),

-- In a direction × source grid (003: "基本支出 / 财政拨款") a figure belongs to the group named
-- by its label's prefix; elsewhere every figure of a table and period is one group.
grouped_funding as (
    select
        *,
        case
            when contains(funding_label, ' / ') then split_part(funding_label, ' / ', 1)
            else ''
        end as funding_group
    from funding
),

source_parts as (
    select
        source_rules.rule_id,
        funding.document_id,
        funding.perf_ordinal,
        coalesce(funding.period, '-') as period,
        funding.funding_group,
        sum(funding.value_yuan) as actual_yuan,
        sum(funding.half_unit_yuan) as tolerance_yuan,
        bool_or(funding.is_unreadable) as any_unreadable,
        bool_and(funding.is_blank_value) as all_blank,
        bool_or(funding.funding_axis not in (select shared_axes.funding_axis from shared_axes))
            as has_own_axis,
        string_agg(funding.citation, '; ' order by funding.source_line) as actual_source,
        list(funding.source_line order by funding.source_line) as actual_lines
    from source_rules
    inner join grouped_funding as funding
        on list_contains(source_rules.rhs_axes, funding.funding_axis)
        -- applies_when grid: only figures printed in a direction × source grid
        and (coalesce(source_rules.applies_when, '') <> 'grid' or funding.funding_group <> '')
    group by all
),

source_checks as (
    select
        total.document_id,
        source_rules.rule_id,
        table_label.label || ' [' || coalesce(total.period, '-')
        || case when total.funding_group <> '' then ' ' || total.funding_group else '' end
        || ']' as instance,
        total.value_yuan as expected_yuan,
        coalesce(source_parts.actual_yuan, 0) as actual_yuan,
        total.half_unit_yuan + coalesce(source_parts.tolerance_yuan, 0) as tolerance_yuan,
        -- a blank printed total (年度资金总额 left empty) is a missing input, not a zero
        total.is_blank_value
        or total.is_unreadable
        or coalesce(source_parts.any_unreadable, false) as is_insufficient,
        total.is_blank_value and coalesce(source_parts.all_blank, true) as all_blank,
        total.citation as expected_source,
        coalesce(source_parts.actual_source, 'no parts printed') as actual_source,
        [total.source_line] as expected_lines,
        coalesce(source_parts.actual_lines, []) as actual_lines
    from source_rules
    inner join grouped_funding as total
        on list_contains(source_rules.lhs_axes, total.funding_axis)
    inner join table_label
        on
            total.document_id = table_label.document_id
            and total.perf_ordinal = table_label.perf_ordinal
    -- the rule applies to tables that print the parts (one at least that is the rule's own)
    inner join source_parts
        on
            source_rules.rule_id = source_parts.rule_id
            and total.document_id = source_parts.document_id
            and total.perf_ordinal = source_parts.perf_ordinal
            and coalesce(total.period, '-') = source_parts.period
            and total.funding_group = source_parts.funding_group
            and source_parts.has_own_axis
),

-- indicator weights (informational) --------------------------------------------------------
weight_checks as (
    select
        indicators.document_id,
        'project.indicator_weights_sum_to_100' as rule_id,
        table_label.label as instance,
        100 as expected_yuan,
        sum(indicators.weight) as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        false as all_blank,
        'convention: weights of one table sum to 100' as expected_source,
        'sum of ' || count(indicators.weight)::varchar || ' indicator weights, lines '
        || min(indicators.source_line)::varchar || '–' || max(indicators.source_line)::varchar
            as actual_source,
        []::integer[] as expected_lines,
        list(indicators.source_line order by indicators.source_line) as actual_lines
    from {{ ref('stg_raw__performance_indicators') }} as indicators
    inner join table_label
        on
            indicators.document_id = table_label.document_id
            and indicators.perf_ordinal = table_label.perf_ordinal
    where indicators.weight is not null and {{ incremental_documents('indicators.document_id') }}
    group by all
),

-- performance_match ------------------------------------------------------------------------
-- the comparable figure of a project table: its annual amount, else its 当年预算
annual_amounts as (
    select
        *,
        row_number() over (
            partition by document_id, perf_ordinal
            order by
                case
                    when period = 'annual' and funding_axis = 'total' then 1
                    when funding_axis = 'current_year' then 2
                end,
                source_line
        ) as preference
    from funding
    where (period = 'annual' and funding_axis = 'total') or funding_axis = 'current_year'
),

matches as (
    select * from {{ ref('stg_raw__project_matches') }}
    where
        {{ incremental_documents() }}
        and table_ordinal is not null
        and row_ordinal is not null
        and perf_ordinal is not null
),

budget_rows as (
    select * from {{ ref('int_reconciliation__cells') }}
    where measure = 'total' and {{ incremental_documents() }}
),

match_checks as (
    select
        matches.document_id,
        'project.performance_annual_equals_project_budget' as rule_id,
        table_label.label as instance,
        annual.value_yuan as expected_yuan,
        budget_rows.amount_yuan as actual_yuan,
        annual.half_unit_yuan
        + case when budget_rows.is_blank then 0 else budget_rows.half_unit_yuan end
            as tolerance_yuan,
        annual.is_blank_value
        or annual.is_unreadable
        or budget_rows.is_unreadable as is_insufficient,
        false as all_blank,
        annual.citation as expected_source,
        budget_rows.citation as actual_source,
        [annual.source_line] as expected_lines,
        [budget_rows.source_line] as actual_lines
    from matches
    inner join table_label
        on
            matches.document_id = table_label.document_id
            and matches.perf_ordinal = table_label.perf_ordinal
    inner join annual_amounts as annual
        on
            matches.document_id = annual.document_id
            and matches.perf_ordinal = annual.perf_ordinal
            and annual.preference = 1
    inner join budget_rows
        on
            matches.document_id = budget_rows.document_id
            and matches.table_ordinal = budget_rows.table_ordinal
            and matches.row_ordinal = budget_rows.row_ordinal
),

-- table coverage -------------------------------------------------------------------------
all_matches as (
    select * from {{ ref('stg_raw__project_matches') }}
    where {{ incremental_documents() }}
),

project_rows_without_table as (
    select
        all_matches.document_id,
        'project.project_row_has_performance_table' as rule_id,
        'L' || budget_rows.source_line::varchar || ' ' || budget_rows.row_name as instance,
        1 as expected_yuan,
        0 as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        false as all_blank,
        budget_rows.citation as expected_source,
        all_matches.reason as actual_source,
        [budget_rows.source_line] as expected_lines,
        []::integer[] as actual_lines
    from all_matches
    inner join budget_rows
        on
            all_matches.document_id = budget_rows.document_id
            and all_matches.table_ordinal = budget_rows.table_ordinal
            and all_matches.row_ordinal = budget_rows.row_ordinal
    where
        all_matches.method = 'no_performance_table'
        -- only where the document prints project performance tables at all (a document
        -- may state its projects' targets as a list in the text, with no 项目支出绩效目标表)
        and exists (
            select 1 from performance_tables
            where
                performance_tables.document_id = all_matches.document_id
                and performance_tables.family = 'project_target'
        )
),

tables_without_project_row as (
    select
        all_matches.document_id,
        'project.performance_table_has_project_row' as rule_id,
        table_label.label as instance,
        1 as expected_yuan,
        0 as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        false as all_blank,
        coalesce(annual.citation, table_label.label) as expected_source,
        all_matches.reason as actual_source,
        [performance_tables.first_line] as expected_lines,
        []::integer[] as actual_lines
    from all_matches
    inner join table_label
        on
            all_matches.document_id = table_label.document_id
            and all_matches.perf_ordinal = table_label.perf_ordinal
    inner join performance_tables
        on
            all_matches.document_id = performance_tables.document_id
            and all_matches.perf_ordinal = performance_tables.perf_ordinal
    left join annual_amounts as annual
        on
            all_matches.document_id = annual.document_id
            and all_matches.perf_ordinal = annual.perf_ordinal
            and annual.preference = 1
    -- 'no_project_table' (004 prints no project budget rows) is not a missing match
    where all_matches.method = 'unmatched'
),

-- project details ------------------------------------------------------------------------
details as (
    select
        project_details.*,
        table_label.label as table_name,
        'line ' || project_details.source_line::varchar || ' ['
        || coalesce(
            project_details.item_detail, project_details.item_content,
            project_details.item_name, ''
        )
        || ']' as row_citation
    from {{ ref('stg_raw__project_details') }} as project_details
    inner join table_label
        on
            project_details.document_id = table_label.document_id
            and project_details.perf_ordinal = table_label.perf_ordinal
    where {{ incremental_documents('project_details.document_id') }}
),

product_checks as (
    select
        document_id,
        'project.detail_amount_equals_price_times_quantity' as rule_id,
        table_name || ' / L' || source_line::varchar as instance,
        amount_yuan as expected_yuan,
        unit_price_yuan * quantity as actual_yuan,
        -- the product of a price printed to 0.01 by a quantity q may be off by q × 0.005
        0.005 + 0.005 * abs(coalesce(quantity, 0)) as tolerance_yuan,
        amount_yuan is null as is_insufficient,
        false as all_blank,
        row_citation || ' 明细金额 = ' || coalesce(amount_yuan::varchar, 'blank') as expected_source,
        row_citation || ' 单价 ' || unit_price_yuan::varchar || ' × 数量 '
        || quantity::varchar as actual_source,
        [source_line] as expected_lines,
        [source_line] as actual_lines
    from details
    where
        not is_total
        and unit_price_yuan is not null
        and quantity is not null
),

detail_sums as (
    select
        document_id,
        perf_ordinal,
        sum(coalesce(amount_yuan, 0)) as actual_yuan,
        0.005 * count(amount_yuan) as tolerance_yuan,
        bool_or(amount_yuan is null) as any_missing,
        'sum of ' || count(*)::varchar || ' 明细金额 rows, lines '
        || min(source_line)::varchar || '–' || max(source_line)::varchar as actual_source,
        list(source_line order by source_line) as actual_lines
    from details
    where not is_total
    group by all
),

detail_totals as (
    select * from details
    where is_total
),

total_checks as (
    select
        detail_totals.document_id,
        'project.detail_total_equals_items' as rule_id,
        detail_totals.table_name as instance,
        detail_totals.amount_yuan as expected_yuan,
        detail_sums.actual_yuan,
        0.005 + detail_sums.tolerance_yuan as tolerance_yuan,
        detail_totals.amount_yuan is null or detail_sums.any_missing as is_insufficient,
        false as all_blank,
        detail_totals.row_citation || ' 金额合计 = '
        || coalesce(detail_totals.amount_yuan::varchar, 'blank') as expected_source,
        detail_sums.actual_source,
        [detail_totals.source_line] as expected_lines,
        detail_sums.actual_lines
    from detail_totals
    inner join detail_sums
        on
            detail_totals.document_id = detail_sums.document_id
            and detail_totals.perf_ordinal = detail_sums.perf_ordinal
),

current_year as (
    select * from funding
    where funding_axis = 'current_year'
),

funding_checks as (
    select
        detail_totals.document_id,
        'project.detail_total_equals_current_year' as rule_id,
        detail_totals.table_name as instance,
        detail_totals.amount_yuan as expected_yuan,
        current_year.value_yuan as actual_yuan,
        0.005 + current_year.half_unit_yuan as tolerance_yuan,
        detail_totals.amount_yuan is null or current_year.is_unreadable as is_insufficient,
        false as all_blank,
        detail_totals.row_citation || ' 金额合计 = '
        || coalesce(detail_totals.amount_yuan::varchar, 'blank') as expected_source,
        current_year.citation as actual_source,
        [detail_totals.source_line] as expected_lines,
        [current_year.source_line] as actual_lines
    from detail_totals
    inner join current_year
        on
            detail_totals.document_id = current_year.document_id
            and detail_totals.perf_ordinal = current_year.perf_ordinal
),

unioned as (
    select * from source_checks
    union all
    select * from match_checks
    union all
    select * from product_checks
    union all
    select * from total_checks
    union all
    select * from funding_checks
    union all
    select * from weight_checks
    union all
    select * from project_rows_without_table
    union all
    select * from tables_without_project_row
),

final as (
    select
        document_id,
        rule_id,
        null::varchar as statement_type,
        instance,
        expected_yuan,
        actual_yuan,
        tolerance_yuan,
        is_insufficient,
        expected_source,
        actual_source,
        expected_lines,
        actual_lines
    from unioned
    where not all_blank
)

select * from final
