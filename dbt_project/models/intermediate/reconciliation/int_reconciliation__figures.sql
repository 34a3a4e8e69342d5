-- One row per document × figure key: the named figures that cross-statement, project and
-- narrative rules compare (grain: document × figure_key).
-- Keys (the vocabulary of reconciliation_rules.lhs / rhs):
--   st/<statement_type>/<side>/<row_key>/<measure>   a statement cell (side '-' if one-sided)
--       row_key: total (the last total row of the side; or its only row, printed without label,
--       code or total row), grand_total (总计), current_total
--       (本年…合计), opening_balance / closing_balance / balance_distribution /
--       non_appropriation_balance_used / personnel_total / public_total (决算 lines,
--       statement_row_concepts), fc<function code>, ec<部门经济分类 code>, eg<政府经济分类 code>,
--       <fund_source_code> (income rows), <expense item code> (三公 rows); a table with a single
--       row also exposes each column as row_key <measure>, measure total (三公 printed as columns)
--   perf/<family>/<period|->/<funding_axis>      sum over the document's performance tables
--   detail/total, detail/items                    sum of 项目构成分解 金额合计 / detail rows
-- Names map to codes through the reference seeds (function_codes, economic_codes, their
-- aliases, fund_source_aliases, expense_item_aliases), never through document wording.
-- Only the first table of each statement type is used, so a repeated table is not double counted.
with

cells as (
    select * from {{ ref('int_reconciliation__cells') }}
    where {{ incremental_documents() }}
),

function_names as (
    select
        {{ reconciliation_name_key('name') }} as name_key,
        function_code
    from {{ ref('function_codes') }}
    where length(function_code) = 3
    union
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        function_code
    from {{ ref('function_code_aliases') }}
    where length(function_code) = 3
),

economic_names as (
    select
        system,
        {{ reconciliation_name_key('name') }} as name_key,
        economic_code::varchar as economic_code
    from {{ ref('economic_codes') }}
    union
    select
        system,
        {{ reconciliation_name_key('printed_name') }} as name_key,
        economic_code::varchar as economic_code
    from {{ ref('economic_code_aliases') }}
),

concept_names as (
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        fund_source_code as concept
    from {{ ref('fund_source_aliases') }}
    union
    select
        {{ reconciliation_name_key('name') }} as name_key,
        fund_source_code as concept
    from {{ ref('fund_sources') }}
    union
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        item_code as concept
    from {{ ref('expense_item_aliases') }}
    union
    select
        {{ reconciliation_name_key('name') }} as name_key,
        item_code as concept
    from {{ ref('expense_items') }}
),

first_tables as (
    select
        document_id,
        statement_type,
        min(table_ordinal) as table_ordinal
    from cells
    group by all
),

statement_rows as (
    select distinct
        cells.document_id,
        cells.table_ordinal,
        cells.statement_type,
        cells.side,
        cells.row_ordinal,
        cells.row_role,
        cells.parent_row_ordinal,
        cells.row_name,
        cells.function_code,
        cells.economic_code,
        cells.economic_name_department,
        cells.economic_name_government
    from cells
    inner join first_tables
        on
            cells.document_id = first_tables.document_id
            and cells.table_ordinal = first_tables.table_ordinal
),

last_totals as (
    select
        document_id,
        table_ordinal,
        side,
        max(row_ordinal) as row_ordinal
    from statement_rows
    where row_role = 'total'
    group by all
),

single_rows as (
    select
        document_id,
        table_ordinal,
        side,
        min(row_ordinal) as row_ordinal
    from statement_rows
    group by all
    having count(*) = 1
),

-- A table that prints only 项 (or 款) codes (2014001 行政运行 with no 201 / 20140 row): its 类 and
-- 款 figures are the sums of the code leaves under them, as a class row would print them. Only
-- ancestors the table does not print itself, and only from leaves (rows no printed code extends).
code_leaves as (
    select *
    from statement_rows
    where
        length(function_code) in (5, 7)
        and row_role <> 'total'
        and not exists (
            select 1
            from statement_rows as deeper
            where
                deeper.document_id = statement_rows.document_id
                and deeper.table_ordinal = statement_rows.table_ordinal
                and deeper.side is not distinct from statement_rows.side
                and length(deeper.function_code) > length(statement_rows.function_code)
                and starts_with(deeper.function_code, statement_rows.function_code)
        )
),

code_lengths as (
    select unnest([3, 5]) as code_length
),

code_ancestors as (
    select
        code_leaves.document_id,
        code_leaves.table_ordinal,
        code_leaves.side,
        code_leaves.row_ordinal,
        left(code_leaves.function_code, lengths.code_length) as ancestor_code
    from code_leaves
    cross join code_lengths as lengths
    where lengths.code_length < length(code_leaves.function_code)
),

rolled_up_codes as (
    select distinct *
    from code_ancestors
    where not exists (
        select 1
        from statement_rows as printed
        where
            printed.document_id = code_ancestors.document_id
            and printed.table_ordinal = code_ancestors.table_ordinal
            and printed.side is not distinct from code_ancestors.side
            and printed.function_code = code_ancestors.ancestor_code
    )
),

-- Every key a row answers to; 'first' keys take the first row that answers (the 上年结转 block
-- of a 财政拨款收支总表 repeats "一、一般公共预算" under the carry-over), 'sum' keys add
-- every row (an economic item printed over several rows, one per government item).
row_keys as (
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'total' as row_key,
        'first' as pick
    from statement_rows
    inner join last_totals
        on
            statement_rows.document_id = last_totals.document_id
            and statement_rows.table_ordinal = last_totals.table_ordinal
            and statement_rows.side = last_totals.side
            and statement_rows.row_ordinal = last_totals.row_ordinal
    union all
    -- a table (side) whose only row prints figures under the header with no label and no code,
    -- and no total row (a 支出总表 printing just 合计 | 基本支出 | 项目支出): that row is its total
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'total' as row_key,
        'first' as pick
    from statement_rows
    inner join single_rows
        on
            statement_rows.document_id = single_rows.document_id
            and statement_rows.table_ordinal = single_rows.table_ordinal
            and statement_rows.row_ordinal = single_rows.row_ordinal
    where
        coalesce(statement_rows.row_name, '') = ''
        and statement_rows.function_code is null
        and statement_rows.economic_code is null
        and not exists (
            select 1 from last_totals
            where
                last_totals.document_id = statement_rows.document_id
                and last_totals.table_ordinal = statement_rows.table_ordinal
                and last_totals.side is not distinct from statement_rows.side
        )
    union all
    select
        document_id,
        table_ordinal,
        row_ordinal,
        case
            when row_name like '%总计%' then 'grand_total'
            when row_name like '%本年%' then 'current_total'
        end as row_key,
        'first' as pick
    from statement_rows
    where
        row_role = 'total'
        and (row_name like '%总计%' or row_name like '%本年%')
    union all
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'fc' || coalesce(statement_rows.function_code, function_names.function_code) as row_key,
        'sum' as pick
    from statement_rows
    left join function_names
        on
            statement_rows.function_code is null
            and statement_rows.economic_name_department is null
            and statement_rows.economic_code is null
            and {{ reconciliation_name_key('statement_rows.row_name') }} = function_names.name_key
    where coalesce(statement_rows.function_code, function_names.function_code) is not null
    union all
    select
        document_id,
        table_ordinal,
        row_ordinal,
        'fc' || ancestor_code as row_key,
        'sum' as pick
    from rolled_up_codes
    union all
    -- a table that prints one unlabelled row of amounts (a 收入总表 printed as its 合计 line
    -- only, without codes or names): that row is the table's total
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'total' as row_key,
        'first' as pick
    from statement_rows
    inner join single_rows
        on
            statement_rows.document_id = single_rows.document_id
            and statement_rows.table_ordinal = single_rows.table_ordinal
            and statement_rows.side = single_rows.side
            and statement_rows.row_ordinal = single_rows.row_ordinal
    where
        statement_rows.row_role <> 'total'
        and coalesce(statement_rows.row_name, '') = ''
        and statement_rows.function_code is null
        and statement_rows.economic_code is null
    union all
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'ec' || coalesce(statement_rows.economic_code, economic_names.economic_code) as row_key,
        'sum' as pick
    from statement_rows
    left join economic_names
        on
            statement_rows.economic_code is null
            and economic_names.system = 'department'
            and {{ reconciliation_name_key('statement_rows.economic_name_department') }}
            = economic_names.name_key
    where
        statement_rows.statement_type = 'gpb_basic_expenditure_economic'
        and coalesce(statement_rows.economic_code, economic_names.economic_code) is not null
    union all
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        'eg' || economic_names.economic_code as row_key,
        'sum' as pick
    from statement_rows
    inner join economic_names
        on
            economic_names.system = 'government'
            and {{ reconciliation_name_key('statement_rows.economic_name_government') }}
            = economic_names.name_key
    where statement_rows.statement_type = 'gpb_basic_expenditure_economic'
    union all
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        concept_names.concept as row_key,
        'first' as pick
    from statement_rows
    inner join concept_names
        on {{ reconciliation_name_key('statement_rows.row_name') }} = concept_names.name_key
    where statement_rows.row_role <> 'total'
    union all
    -- 决算 balance lines (年初结转和结余, 年末结转和结余, 结余分配, 使用非财政拨款结余) and the
    -- partial totals of a paned table (人员经费合计, 公用经费合计)
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        row_concepts.concept as row_key,
        'first' as pick
    from statement_rows
    inner join {{ ref('statement_row_concepts') }} as row_concepts
        on regexp_matches(statement_rows.row_name, row_concepts.pattern)
),

picked_rows as (
    select
        row_keys.*,
        row_number() over (
            partition by
                row_keys.document_id,
                row_keys.table_ordinal,
                statement_rows.side,
                row_keys.row_key
            order by row_keys.row_ordinal
        ) as occurrence
    from row_keys
    inner join statement_rows
        on
            row_keys.document_id = statement_rows.document_id
            and row_keys.table_ordinal = statement_rows.table_ordinal
            and row_keys.row_ordinal = statement_rows.row_ordinal
),

keyed_cells as (
    select
        'st/' || cells.statement_type || '/' || cells.side || '/' || picked_rows.row_key
        || '/' || cells.measure as figure_key,
        cells.*
    from picked_rows
    inner join cells
        on
            picked_rows.document_id = cells.document_id
            and picked_rows.table_ordinal = cells.table_ordinal
            and picked_rows.row_ordinal = cells.row_ordinal
    where picked_rows.pick = 'sum' or picked_rows.occurrence = 1
    -- union, not union all: a cell reached twice under one key (a single-row table whose row
    -- is also its total row) counts once
    union
    -- a single-row table (三公 printed as columns): each column is also a row-form figure
    select
        'st/' || cells.statement_type || '/' || cells.side || '/' || cells.measure
        || '/total' as figure_key,
        cells.*
    from single_rows
    inner join cells
        on
            single_rows.document_id = cells.document_id
            and single_rows.table_ordinal = cells.table_ordinal
            and single_rows.side = cells.side
            and single_rows.row_ordinal = cells.row_ordinal
),

statement_figures as (
    select
        document_id,
        figure_key,
        sum(amount_yuan) as amount_yuan,
        sum(case when is_blank then 0 else half_unit_yuan end) as tolerance_yuan,
        bool_and(is_blank) as is_blank,
        bool_or(is_unreadable) as is_unreadable,
        -- ordered to the cell (two columns of one row may share a measure): the same citation
        -- whatever order the cells are read in
        string_agg(citation, '; ' order by table_ordinal, row_ordinal, column_ordinal) as citation,
        list(source_line order by table_ordinal, row_ordinal, column_ordinal) as source_lines
    from keyed_cells
    group by all
),

performance_tables as (
    select * from {{ ref('stg_raw__performance_tables') }}
    where {{ incremental_documents() }}
),

performance_funding as (
    select * from {{ ref('stg_raw__performance_funding') }}
    where {{ incremental_documents() }}
),

performance_figures as (
    select
        performance_funding.document_id,
        'perf/' || performance_tables.family || '/'
        || coalesce(performance_funding.period, '-') || '/'
        || performance_funding.funding_axis as figure_key,
        sum(coalesce(performance_funding.amount_yuan, 0)) as amount_yuan,
        sum(
            case
                when performance_funding.amount_yuan is null then 0
                else {{ reconciliation_half_unit_yuan('performance_funding.unit') }}
            end
        ) as tolerance_yuan,
        bool_and(performance_funding.amount_yuan is null) as is_blank,
        bool_or(
            performance_funding.amount_yuan is null
            and not performance_funding.is_blank
            and trim(coalesce(performance_funding.raw_text, '')) not in ('', '-', '—')
        ) as is_unreadable,
        case
            when count(*) = 1
                then max(
                    performance_tables.title || ' line '
                    || performance_funding.source_line::varchar || ' ['
                    || performance_funding.funding_label || '] = '
                    || coalesce(nullif(performance_funding.raw_text, ''), 'blank')
                )
            else
                'sum of ' || count(*)::varchar || ' ' || min(performance_tables.family)
                || ' figures [' || min(performance_funding.funding_label) || '] in '
                || count(distinct performance_funding.perf_ordinal)::varchar || ' tables'
        end as citation,
        list(performance_funding.source_line order by performance_funding.source_line)
            as source_lines
    from performance_funding
    inner join performance_tables
        on
            performance_funding.document_id = performance_tables.document_id
            and performance_funding.perf_ordinal = performance_tables.perf_ordinal
    group by all
),

project_details as (
    select * from {{ ref('stg_raw__project_details') }}
    where {{ incremental_documents() }}
),

detail_figures as (
    select
        document_id,
        case when is_total then 'detail/total' else 'detail/items' end as figure_key,
        sum(coalesce(amount_yuan, 0)) as amount_yuan,
        sum(case when amount_yuan is null then 0 else 0.005 end) as tolerance_yuan,
        bool_and(amount_yuan is null) as is_blank,
        false as is_unreadable,
        'sum of ' || count(*)::varchar || ' 项目构成分解 '
        || case when is_total then '金额合计' else '明细金额' end || ' rows' as citation,
        list(source_line order by source_line) as source_lines
    from project_details
    group by document_id, is_total
),

-- narrative figures: narr/<metric> with the metric's ' / ' written '>' (first statement)
narrative_figures as (
    select
        document_id,
        'narr/' || replace(metric, ' / ', '>') as figure_key,
        coalesce(arg_min(amount_yuan, figure_ordinal), arg_min(value, figure_ordinal))
            as amount_yuan,
        {{ reconciliation_half_unit_yuan('arg_min(unit, figure_ordinal)') }} as tolerance_yuan,
        false as is_blank,
        false as is_unreadable,
        'narrative line ' || arg_min(source_line, figure_ordinal)::varchar || ' ['
        || metric || '] = ' || arg_min(value, figure_ordinal)::double::varchar
        || arg_min(unit, figure_ordinal) as citation,
        [arg_min(source_line, figure_ordinal)] as source_lines
    from {{ ref('stg_raw__narrative_figures') }}
    where {{ incremental_documents() }}
    group by document_id, metric
),

-- numeric performance attributes: attr/<attribute> (headcounts, unit counts)
attribute_figures as (
    select
        document_id,
        'attr/' || attribute as figure_key,
        sum(value_number) as amount_yuan,
        0 as tolerance_yuan,
        false as is_blank,
        false as is_unreadable,
        string_agg(
            'performance table line ' || source_line::varchar || ' [' || label || '] = ' || value_text,
            '; '
            order by source_line, label, value_text
        ) as citation,
        list(source_line order by source_line) as source_lines
    from {{ ref('stg_raw__performance_attributes') }}
    where value_number is not null and {{ incremental_documents() }}
    group by all
),

-- counts of printed rows, tables and listed names (count/...), compared with the counts the
-- narrative states
project_rows as (
    select
        cells.document_id,
        cells.row_role,
        cells.row_ordinal,
        cells.source_line
    from cells
    inner join first_tables
        on
            cells.document_id = first_tables.document_id
            and cells.table_ordinal = first_tables.table_ordinal
    where
        cells.statement_type = 'project_expenditure'
        and cells.measure = 'total'
),

count_figures as (
    select
        document_id,
        'count/project_rows' as figure_key,
        count(*) filter (where row_role = 'detail') as amount_yuan,
        0 as tolerance_yuan,
        false as is_blank,
        false as is_unreadable,
        count(*) filter (where row_role = 'detail')::varchar
        || ' project rows in the project budget table, lines '
        || min(source_line)::varchar || '–' || max(source_line)::varchar as citation,
        [min(source_line), max(source_line)] as source_lines
    from project_rows
    group by all
    union all
    select
        document_id,
        'count/project_target_tables' as figure_key,
        count(*) as amount_yuan,
        0 as tolerance_yuan,
        false as is_blank,
        false as is_unreadable,
        count(*)::varchar || ' logical project performance-target tables, lines '
        || min(first_line)::varchar || '–' || max(last_line)::varchar as citation,
        [min(first_line), max(last_line)] as source_lines
    from performance_tables
    where family = 'project_target'
    group by all
    union all
    select
        document_id,
        'count/listed_units' as figure_key,
        count(*) as amount_yuan,
        0 as tolerance_yuan,
        false as is_blank,
        false as is_unreadable,
        count(*)::varchar || ' unit names listed before the count, narrative line '
        || min(source_line)::varchar as citation,
        [min(source_line)] as source_lines
    from {{ ref('int_narrative_unit_list') }}
    where {{ incremental_documents() }}
    group by all
),

final as (
    select * from statement_figures
    union all
    select * from performance_figures
    union all
    select * from detail_figures
    union all
    select * from narrative_figures
    union all
    select * from attribute_figures
    union all
    select * from count_figures
)

select * from final
