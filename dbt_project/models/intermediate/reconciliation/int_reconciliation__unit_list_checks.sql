-- One row per unit list check instance (grain: document × rule × project table unit header):
--   unit_listed          each unit header of a 项目支出预算表 names one of the budget units the
--                        narrative lists (1 = listed; 001 line 79), a section (高中部 / 初中部)
--                        through its parent unit in dim_department; only where the document
--                        lists its units. Explains "19个二级预算单位" against 21 unit headers.
-- Reads int_departments, whose units and sections are resolved across the corpus: a table,
-- rebuilt each refresh (the narrative's other checks are int_reconciliation__narrative_checks).
with

unit_headers as (
    select
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.source_line,
        statement_rows.unit_name,
        statement_tables.title,
        mentions.department_key,
        departments.department_level,
        coalesce(
            case when departments.department_level = 'sub_unit' then departments.parent_department_key end,
            mentions.department_key
        ) as budget_unit_key
    from {{ ref('stg_raw__statement_rows') }} as statement_rows
    inner join {{ ref('stg_raw__statement_tables') }} as statement_tables
        on
            statement_rows.document_id = statement_tables.document_id
            and statement_rows.table_ordinal = statement_tables.table_ordinal
    inner join {{ ref('int_department_mentions') }} as mentions
        on
            mentions.mention_source = 'project_row'
            and statement_rows.document_id = mentions.document_id
            and statement_rows.table_ordinal = mentions.table_ordinal
            and statement_rows.row_ordinal = mentions.row_ordinal
    inner join {{ ref('int_departments') }} as departments
        on mentions.department_key = departments.department_key
    where
        statement_tables.statement_type in ('project_expenditure', 'project_expenditure_carryover')
        and statement_rows.row_role = 'subtotal'
        and statement_rows.level = 1
),

unit_list as (
    select * from {{ ref('int_narrative_unit_list') }}
),

listed_units as (
    select
        mentions.document_id,
        mentions.department_key,
        -- the department's first item in the list, the same on every build
        arg_min(mentions.printed_name, unit_list.item_ordinal) as listed_name,
        arg_min(unit_list.source_line, unit_list.item_ordinal) as source_line,
        min(unit_list.item_ordinal) as item_ordinal
    from {{ ref('int_department_mentions') }} as mentions
    inner join unit_list
        on
            mentions.document_id = unit_list.document_id
            and mentions.row_ordinal = unit_list.item_ordinal
    where mentions.mention_source = 'narrative_unit_list'
    group by all
),

unit_lists as (
    select
        document_id,
        min(source_line) as source_line,
        count(*) as unit_count
    from unit_list
    group by all
),

budget_unit_names as (
    select
        department_key,
        canonical_name
    from {{ ref('int_departments') }}
),

unit_list_checks as (
    select
        unit_headers.document_id,
        'narrative.project_list_unit_is_listed' as rule_id,
        unit_headers.title || ' / ' || unit_headers.unit_name as instance,
        1 as expected_yuan,
        case when listed_units.department_key is null then 0 else 1 end as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        unit_headers.title || ' line ' || unit_headers.source_line::varchar || ' [unit '
        || unit_headers.unit_name || ']'
        || case
            when unit_headers.department_level = 'sub_unit'
                then ' = a section of ' || budget_unit_names.canonical_name || ' (dim_department)'
            else ''
        end as expected_source,
        case
            when listed_units.department_key is not null
                then
                    'narrative line ' || listed_units.source_line::varchar || ' lists '
                    || listed_units.listed_name || ' (item ' || listed_units.item_ordinal::varchar
                    || ' of ' || unit_lists.unit_count::varchar || ')'
            else
                'not among the ' || unit_lists.unit_count::varchar
                || ' budget units listed on narrative line ' || unit_lists.source_line::varchar
        end as actual_source,
        [unit_headers.source_line] as expected_lines,
        [coalesce(listed_units.source_line, unit_lists.source_line)] as actual_lines
    from unit_headers
    -- the rule applies where the document lists its units
    inner join unit_lists
        on unit_headers.document_id = unit_lists.document_id
    inner join budget_unit_names
        on unit_headers.budget_unit_key = budget_unit_names.department_key
    left join listed_units
        on
            unit_headers.document_id = listed_units.document_id
            and unit_headers.budget_unit_key = listed_units.department_key
)

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
from unit_list_checks
