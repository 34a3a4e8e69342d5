-- One row per within-table check instance (grain: document × rule × table × row × column):
-- a printed figure against the figures printed beneath or beside it in the same table.
-- The rules (and which statement types and columns each applies to) come from the catalogue
-- seed reconciliation_rules; each rule kind is implemented once here, for every document.
--   children_sum   a row with linked child rows = sum of the children, per column
--   segment_sum    a total row with no linked children = the top-level rows it closes (and the
--                  total printed before them: 收入总计 = 本年收入合计 + 上年结转), per column
--   leaves_sum     a total row = sum of every detail (leaf) row, per column
--   columns_sum    a row's lhs column = sum of its rhs columns (applies_when: all | any)
with

rules as (
    select
        *,
        {{ reconciliation_split('statements', '|') }} as statement_list,
        list_transform({{ reconciliation_split('rhs', '+') }}, measure -> rtrim(measure, '?')) as rhs_measures,
        -- columns_sum: a trailing '?' makes an rhs column optional (added where printed, never
        -- required): 单位预留机动经费 beside 基本支出 and 项目支出
        list_filter({{ reconciliation_split('rhs', '+') }}, measure -> not ends_with(measure, '?'))
            as rhs_required_measures
    from {{ ref('reconciliation_rules') }}
),

-- Spanning parent columns are excluded: their sub-columns carry the same money.
cells as (
    select * from {{ ref('int_reconciliation__cells') }}
    where not is_parent_column and {{ incremental_documents() }}
),

statement_rows as (
    select distinct
        document_id,
        table_ordinal,
        statement_type,
        side,
        row_ordinal,
        row_role,
        parent_row_ordinal,
        row_name
    from {{ ref('int_reconciliation__cells') }}
    where {{ incremental_documents() }}
),

-- A row whose only children are "其中：…" rows (of which) is not their sum: 一般公共预算拨款
-- 92,165,133.99 over 其中：专项资金列入部门预算的项目 7,100,000.00. Where 其中 opens a list beside
-- other children (其中：（一）因公出国 … 公务接待费), the children are the breakdown and are checked.
has_children as (
    select distinct
        document_id,
        table_ordinal,
        parent_row_ordinal as row_ordinal
    from statement_rows
    where
        parent_row_ordinal is not null
        and not starts_with(row_name, '其中')
),

-- children_sum: every (parent row, column) against the sum of its child rows' cells.
child_sums as (
    select
        document_id,
        table_ordinal,
        parent_row_ordinal as row_ordinal,
        column_ordinal,
        sum(amount_yuan) as actual_yuan,
        sum(case when is_blank then 0 else half_unit_yuan end) as tolerance_yuan,
        bool_or(is_unreadable) as any_unreadable,
        bool_and(is_blank) as all_blank,
        string_agg(citation, '; ' order by row_ordinal) as actual_source,
        list(source_line order by row_ordinal) as actual_lines
    from cells
    where parent_row_ordinal is not null
    group by all
),

children_checks as (
    select
        parent.document_id,
        'within.parent_equals_children' as rule_id,
        parent.statement_type,
        'T' || parent.table_ordinal::varchar || ' L' || parent.source_line::varchar || ' '
        || coalesce(parent.function_code, parent.economic_code, parent.row_name)
        -- a 决算 prints "总计" on both sides of one line: the side tells them apart
        || case
            when
                count(*) over (
                    partition by
                        parent.document_id, parent.table_ordinal, parent.source_line,
                        coalesce(parent.function_code, parent.economic_code, parent.row_name), parent.measure
                ) > 1
                then ' (' || parent.side || ')'
            else ''
        end
        -- two columns of one side with the same measure (a column group printed twice over): the
        -- column's header path tells them apart
        || case
            when
                count(*) over (
                    partition by
                        parent.document_id, parent.table_ordinal, parent.source_line,
                        coalesce(parent.function_code, parent.economic_code, parent.row_name), parent.measure,
                        parent.side
                ) > 1
                then ' {' || parent.column_path || '}'
            else ''
        end
        || ' [' || parent.measure || ']' as instance,
        parent.amount_yuan as expected_yuan,
        coalesce(child_sums.actual_yuan, 0) as actual_yuan,
        (case when parent.is_blank then 0 else parent.half_unit_yuan end)
        + coalesce(child_sums.tolerance_yuan, 0) as tolerance_yuan,
        parent.is_unreadable or coalesce(child_sums.any_unreadable, false) as is_insufficient,
        parent.is_blank and coalesce(child_sums.all_blank, true) as all_blank,
        parent.citation as expected_source,
        coalesce(child_sums.actual_source, 'no cells in this column') as actual_source,
        [parent.source_line] as expected_lines,
        coalesce(child_sums.actual_lines, []) as actual_lines
    from cells as parent
    inner join has_children
        on
            parent.document_id = has_children.document_id
            and parent.table_ordinal = has_children.table_ordinal
            and parent.row_ordinal = has_children.row_ordinal
    left join child_sums
        on
            parent.document_id = child_sums.document_id
            and parent.table_ordinal = child_sums.table_ordinal
            and parent.row_ordinal = child_sums.row_ordinal
            and parent.column_ordinal = child_sums.column_ordinal
),

-- segment_sum: a total row without linked children. Total rows split each side of a table into
-- segments; a total closes the top-level rows printed since the previous total (and adds that
-- previous total), or, when it is printed first (合计 above the 类 rows), the rows after it.
total_rows as (
    select
        *,
        lag(row_ordinal) over (
            partition by document_id, table_ordinal, side order by row_ordinal
        ) as previous_total,
        lead(row_ordinal) over (
            partition by document_id, table_ordinal, side order by row_ordinal
        ) as next_total
    from statement_rows
    where row_role = 'total'
),

childless_totals as (
    select total_rows.*
    from total_rows
    left join has_children
        on
            total_rows.document_id = has_children.document_id
            and total_rows.table_ordinal = has_children.table_ordinal
            and total_rows.row_ordinal = has_children.row_ordinal
    where has_children.row_ordinal is null
),

top_level_rows as (
    select *
    from statement_rows
    where
        parent_row_ordinal is null
        and row_role <> 'total'
),

rows_before as (
    select
        childless_totals.document_id,
        childless_totals.table_ordinal,
        childless_totals.row_ordinal as total_row_ordinal,
        top_level_rows.row_ordinal as member_row_ordinal
    from childless_totals
    inner join top_level_rows
        on
            childless_totals.document_id = top_level_rows.document_id
            and childless_totals.table_ordinal = top_level_rows.table_ordinal
            and childless_totals.side = top_level_rows.side
            and childless_totals.row_ordinal > top_level_rows.row_ordinal
            and top_level_rows.row_ordinal > coalesce(childless_totals.previous_total, 0)
),

rows_after as (
    select
        childless_totals.document_id,
        childless_totals.table_ordinal,
        childless_totals.row_ordinal as total_row_ordinal,
        top_level_rows.row_ordinal as member_row_ordinal
    from childless_totals
    inner join top_level_rows
        on
            childless_totals.document_id = top_level_rows.document_id
            and childless_totals.table_ordinal = top_level_rows.table_ordinal
            and childless_totals.side = top_level_rows.side
            and childless_totals.row_ordinal < top_level_rows.row_ordinal
            and top_level_rows.row_ordinal < coalesce(childless_totals.next_total, 2147483647)
    -- only when nothing precedes the total in its segment
    where not exists (
        select 1
        from rows_before
        where
            rows_before.document_id = childless_totals.document_id
            and rows_before.table_ordinal = childless_totals.table_ordinal
            and rows_before.total_row_ordinal = childless_totals.row_ordinal
    )
),

previous_total_member as (
    select
        document_id,
        table_ordinal,
        row_ordinal as total_row_ordinal,
        previous_total as member_row_ordinal
    from childless_totals
    where
        previous_total is not null
        and exists (
            select 1
            from rows_before
            where
                rows_before.document_id = childless_totals.document_id
                and rows_before.table_ordinal = childless_totals.table_ordinal
                and rows_before.total_row_ordinal = childless_totals.row_ordinal
        )
),

segment_members as (
    select * from rows_before
    union all
    select * from rows_after
    union all
    select * from previous_total_member
),

-- leaves_sum: a total row against every detail row that has no children, same side.
leaf_members as (
    select
        total_rows.document_id,
        total_rows.table_ordinal,
        total_rows.row_ordinal as total_row_ordinal,
        leaf.row_ordinal as member_row_ordinal
    from total_rows
    inner join rules
        on
            rules.implementation = 'leaves_sum'
            and list_contains(rules.statement_list, total_rows.statement_type)
    inner join statement_rows as leaf
        on
            total_rows.document_id = leaf.document_id
            and total_rows.table_ordinal = leaf.table_ordinal
            and total_rows.side = leaf.side
            and leaf.row_role = 'detail'
    left join has_children
        on
            leaf.document_id = has_children.document_id
            and leaf.table_ordinal = has_children.table_ordinal
            and leaf.row_ordinal = has_children.row_ordinal
    where has_children.row_ordinal is null
),

members as (
    select
        'within.total_equals_top_level_rows' as rule_id,
        *
    from segment_members
    union all
    select
        'within.total_equals_detail_rows' as rule_id,
        *
    from leaf_members
),

member_sums as (
    select
        members.rule_id,
        members.document_id,
        members.table_ordinal,
        members.total_row_ordinal,
        cells.side,
        cells.column_ordinal,
        sum(cells.amount_yuan) as actual_yuan,
        sum(case when cells.is_blank then 0 else cells.half_unit_yuan end) as tolerance_yuan,
        bool_or(cells.is_unreadable) as any_unreadable,
        bool_and(cells.is_blank) as all_blank,
        count(*) as n_members,
        string_agg(cells.citation, '; ' order by cells.row_ordinal) as actual_source,
        list(cells.source_line order by cells.row_ordinal) as actual_lines
    from members
    inner join cells
        on
            members.document_id = cells.document_id
            and members.table_ordinal = cells.table_ordinal
            and members.member_row_ordinal = cells.row_ordinal
    group by all
),

member_checks as (
    select
        total.document_id,
        member_sums.rule_id,
        total.statement_type,
        'T' || total.table_ordinal::varchar || ' L' || total.source_line::varchar || ' '
        || coalesce(total.row_name, 'total')
        || case
            when
                count(*) over (
                    partition by
                        total.document_id, member_sums.rule_id, total.table_ordinal, total.source_line,
                        coalesce(total.row_name, 'total'), total.measure
                ) > 1
                then ' (' || total.side || ')'
            else ''
        end
        || case
            when
                count(*) over (
                    partition by
                        total.document_id, member_sums.rule_id, total.table_ordinal, total.source_line,
                        coalesce(total.row_name, 'total'), total.measure, total.side
                ) > 1
                then ' {' || total.column_path || '}'
            else ''
        end
        || ' [' || total.measure || ']' as instance,
        total.amount_yuan as expected_yuan,
        member_sums.actual_yuan,
        (case when total.is_blank then 0 else total.half_unit_yuan end)
        + member_sums.tolerance_yuan as tolerance_yuan,
        total.is_unreadable or member_sums.any_unreadable as is_insufficient,
        total.is_blank and member_sums.all_blank as all_blank,
        total.citation as expected_source,
        member_sums.actual_source,
        [total.source_line] as expected_lines,
        member_sums.actual_lines
    from member_sums
    inner join cells as total
        on
            member_sums.document_id = total.document_id
            and member_sums.table_ordinal = total.table_ordinal
            and member_sums.total_row_ordinal = total.row_ordinal
            and member_sums.side = total.side
            and member_sums.column_ordinal = total.column_ordinal
),

-- columns_sum: within one row, the lhs column against the sum of the rhs columns printed in
-- the table. applies_when = all: every rhs column must be printed; any: at least one.
table_measures as (
    select distinct
        document_id,
        table_ordinal,
        side,
        measure
    from cells
),

table_sides as (
    select distinct
        document_id,
        table_ordinal,
        side,
        statement_type
    from cells
),

-- the lhs column: the first of the rule's '|'-separated alternatives the table prints (收入总表
-- 合计 is read as current_year where the document says it excludes 上年结转)
column_rule_lhs as (
    select
        rules.rule_id,
        rules.rhs_measures,
        rules.rhs_required_measures,
        rules.applies_when,
        table_measures.document_id,
        table_measures.table_ordinal,
        table_measures.side,
        arg_min(
            table_measures.measure,
            list_position({{ reconciliation_split('rules.lhs', '|') }}, table_measures.measure)
        ) as lhs_measure
    from rules
    inner join table_sides
        on list_contains(rules.statement_list, table_sides.statement_type)
    inner join table_measures
        on
            table_sides.document_id = table_measures.document_id
            and table_sides.table_ordinal = table_measures.table_ordinal
            and table_sides.side = table_measures.side
            and list_contains({{ reconciliation_split('rules.lhs', '|') }}, table_measures.measure)
    where rules.implementation = 'columns_sum'
    group by all
),

column_rules as (
    select column_rule_lhs.*
    from column_rule_lhs
    where (
        select count(distinct table_measures.measure)
        from table_measures
        where
            table_measures.document_id = column_rule_lhs.document_id
            and table_measures.table_ordinal = column_rule_lhs.table_ordinal
            and table_measures.side = column_rule_lhs.side
            and list_contains(column_rule_lhs.rhs_required_measures, table_measures.measure)
    ) >= case
        when column_rule_lhs.applies_when = 'all' then len(column_rule_lhs.rhs_required_measures)
        else 1
    end
),

-- a fund-source column printed beside its own parts (财政拨款 小计 beside 一般公共预算 …) is no
-- summand: the parts are
shadowed_columns as (
    select distinct
        table_measures.document_id,
        table_measures.table_ordinal,
        table_measures.side,
        table_measures.measure
    from table_measures
    inner join {{ ref('fund_sources') }} as parents
        on table_measures.measure = parents.measure
    inner join {{ ref('fund_sources') }} as children
        on parents.fund_source_code = children.parent_fund_source_code
    inner join table_measures as printed_children
        on
            table_measures.document_id = printed_children.document_id
            and table_measures.table_ordinal = printed_children.table_ordinal
            and table_measures.side is not distinct from printed_children.side
            and children.measure = printed_children.measure
),

-- The rhs columns of an lhs column are those in its column group: a table printing the same
-- columns under two year groups (2025年预算数 / 合计 … | 2026年预算数 / 合计 …) checks each group's
-- 合计 against its own items. The group is the lhs header path without its last label.
lhs_cells as (
    select
        column_rules.rule_id,
        column_rules.rhs_measures,
        lhs.*,
        case
            when contains(lhs.column_path, ' / ') then regexp_replace(lhs.column_path, ' / [^/]*$', '')
            else ''
        end as column_group
    from column_rules
    inner join cells as lhs
        on
            column_rules.document_id = lhs.document_id
            and column_rules.table_ordinal = lhs.table_ordinal
            and column_rules.side = lhs.side
            and column_rules.lhs_measure = lhs.measure
),

column_sums as (
    select
        lhs_cells.rule_id,
        lhs_cells.document_id,
        lhs_cells.table_ordinal,
        lhs_cells.row_ordinal,
        lhs_cells.column_ordinal as lhs_column_ordinal,
        sum(cells.amount_yuan) as actual_yuan,
        sum(case when cells.is_blank then 0 else cells.half_unit_yuan end) as tolerance_yuan,
        bool_or(cells.is_unreadable) as any_unreadable,
        bool_and(cells.is_blank) as all_blank,
        string_agg(cells.citation, '; ' order by cells.column_ordinal) as actual_source
    from lhs_cells
    inner join cells
        on
            lhs_cells.document_id = cells.document_id
            and lhs_cells.table_ordinal = cells.table_ordinal
            and lhs_cells.side = cells.side
            and lhs_cells.row_ordinal = cells.row_ordinal
            and (lhs_cells.column_group = '' or starts_with(cells.column_path, lhs_cells.column_group || ' / '))
            and (
                list_contains(lhs_cells.rhs_measures, cells.measure)
                -- a 总计 printed over this year's fund sources and a 上年结余、结转 column
                -- beside them, with no 本年收入 subtotal (a 收入总表, a 项目支出总表), adds that
                -- column too; a 合计 under 本年收入 is read as current_year and never does
                or (
                    lhs_cells.measure = 'total'
                    and cells.measure = 'carryover'
                    and list_contains(lhs_cells.rhs_measures, 'general_public_budget')
                    and not exists (
                        select 1 from table_measures as current_year_columns
                        where
                            current_year_columns.document_id = cells.document_id
                            and current_year_columns.table_ordinal = cells.table_ordinal
                            and current_year_columns.side is not distinct from cells.side
                            and current_year_columns.measure = 'current_year'
                    )
                )
            )
            and not exists (
                select 1 from shadowed_columns
                where
                    shadowed_columns.document_id = cells.document_id
                    and shadowed_columns.table_ordinal = cells.table_ordinal
                    and shadowed_columns.side is not distinct from cells.side
                    and shadowed_columns.measure = cells.measure
            )
    group by all
),

column_checks as (
    select
        lhs.document_id,
        column_rules.rule_id,
        lhs.statement_type,
        'T' || lhs.table_ordinal::varchar || ' L' || lhs.source_line::varchar || ' '
        || coalesce(lhs.function_code, lhs.economic_code, lhs.row_name)
        -- a row checked more than once by one rule (two sides on one line, or two lhs columns
        -- such as 合计 and 本年收入): the side, then the lhs column's header path, tell them apart
        || case
            when
                count(*) over (
                    partition by
                        lhs.document_id, column_rules.rule_id, lhs.table_ordinal, lhs.source_line,
                        coalesce(lhs.function_code, lhs.economic_code, lhs.row_name)
                ) > count(*) over (
                    partition by
                        lhs.document_id, column_rules.rule_id, lhs.table_ordinal, lhs.source_line,
                        coalesce(lhs.function_code, lhs.economic_code, lhs.row_name), lhs.side
                )
                then ' (' || lhs.side || ')'
            else ''
        end
        || case
            when
                count(*) over (
                    partition by
                        lhs.document_id, column_rules.rule_id, lhs.table_ordinal, lhs.source_line,
                        coalesce(lhs.function_code, lhs.economic_code, lhs.row_name), lhs.side
                ) > 1
                then ' {' || lhs.column_path || '}'
            else ''
        end as instance,
        lhs.amount_yuan as expected_yuan,
        coalesce(column_sums.actual_yuan, 0) as actual_yuan,
        (case when lhs.is_blank then 0 else lhs.half_unit_yuan end)
        + coalesce(column_sums.tolerance_yuan, 0) as tolerance_yuan,
        lhs.is_unreadable or coalesce(column_sums.any_unreadable, false) as is_insufficient,
        lhs.is_blank and coalesce(column_sums.all_blank, true) as all_blank,
        lhs.citation as expected_source,
        coalesce(column_sums.actual_source, 'no cells') as actual_source,
        [lhs.source_line] as expected_lines,
        [lhs.source_line] as actual_lines
    from column_rules
    inner join cells as lhs
        on
            column_rules.document_id = lhs.document_id
            and column_rules.table_ordinal = lhs.table_ordinal
            and column_rules.side = lhs.side
            and column_rules.lhs_measure = lhs.measure
    left join column_sums
        on
            column_rules.rule_id = column_sums.rule_id
            and lhs.document_id = column_sums.document_id
            and lhs.table_ordinal = column_sums.table_ordinal
            and lhs.row_ordinal = column_sums.row_ordinal
            and lhs.column_ordinal = column_sums.lhs_column_ordinal
),

unioned as (
    select * from children_checks
    union all
    select * from member_checks
    union all
    select * from column_checks
),

final as (
    select
        document_id,
        rule_id,
        statement_type,
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
    -- an identity between blank cells says nothing: nothing was printed on either side
    where not all_blank
)

select * from final
