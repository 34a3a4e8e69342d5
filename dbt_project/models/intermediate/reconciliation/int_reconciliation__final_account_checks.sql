-- One row per 决算 (final accounts) check instance (grain: document × rule × instance):
--   execution_rate        a completion rate stated in the narrative ("完成年初预算的100.71%") =
--                         100 × 决算 / 预算, both as the passage states them (or, for a 三公 item
--                         whose budget the passage omits, the table's 预算数); tolerance: half a unit
--                         of the printed rate plus what the rounding of the two figures allows
--   execution_direction   the direction word ("决算数大于预算数", "持平") agrees with the two
--                         figures: 1 = agrees (expected), 0 = contradicts; both figures in the sources
--   execution_outturn     the 决算 a passage states = the table's figure for its subject (a 项 row of
--                         the 一般公共预算财政拨款支出决算表 found by its 类 / 款 / 项 names, names of
--                         an older scheme through function_code_crosswalk; its 合计 row; the 三公 table)
--   execution_budget      the budget a passage states = the table's 年初预算数 / 预算数 column for
--                         the same subject, where the 决算 prints one
--   hygiene_placeholder   no template placeholder ("XX局", "XXXX年") is left (count per document)
--   hygiene_year          an as-of date ("截至…年12月31日") or a heading / title names the document's
--                         own fiscal year (one instance per date, per heading with a year)
--   three_public_narrative a 三公 figure stated in the narrative has a 三公 table figure
-- Every rule here applies to 决算 documents only (document_kind 决算). A required 决算 table that
-- is missing is a completeness finding (completeness.required_table_found, seed required_statements).
with

documents as (
    select
        document_id,
        fiscal_year,
        document_kind,
        scope
    from {{ ref('int_documents') }}
    where extraction_status = 'loaded' and document_kind = '决算'
),

statements as (
    select
        statements.*,
        coalesce(
            length(regexp_extract(rtrim(rtrim(statements.rate_value::varchar, '0'), '.'), '\.(\d+)$', 1)),
            0
        )::integer as rate_decimals,
        coalesce(
            length(regexp_extract(rtrim(rtrim(statements.budget_value::varchar, '0'), '.'), '\.(\d+)$', 1)),
            0
        )::integer as budget_decimals,
        coalesce(
            length(regexp_extract(rtrim(rtrim(statements.final_value::varchar, '0'), '.'), '\.(\d+)$', 1)),
            0
        )::integer as final_decimals
    from {{ ref('int_execution_statements') }} as statements
    inner join documents
        on statements.document_id = documents.document_id
),

figures as (
    select * from {{ ref('int_reconciliation__figures') }}
),

cells as (
    select * from {{ ref('int_reconciliation__cells') }}
),

-- The table cells a passage is about (int_execution_statements resolved its subject): the final
-- stage (measure total) and, where the table prints one, the budget stage (total@budget).
subject_cells as (
    select
        statements.document_id,
        statements.statement_ordinal,
        cells.measure,
        cells.amount_yuan,
        cells.is_blank,
        cells.half_unit_yuan,
        cells.citation,
        cells.source_line
    from statements
    inner join cells
        on
            statements.document_id = cells.document_id
            and cells.statement_type = 'gpb_expenditure_function'
            and (
                (statements.subject_kind = 'function_code' and statements.function_code = cells.function_code)
                or (
                    statements.subject_kind = 'appropriation_total'
                    and cells.row_role = 'total'
                    and cells.parent_row_ordinal is null
                )
            )
    where cells.measure in ('total', 'total@budget')
),

three_public_cells as (
    select
        statements.document_id,
        statements.statement_ordinal,
        case when figures.figure_key like '%@budget%' then 'total@budget' else 'total' end as measure,
        figures.amount_yuan,
        figures.is_blank,
        figures.tolerance_yuan as half_unit_yuan,
        figures.citation,
        figures.source_lines[1] as source_line
    from statements
    inner join figures
        on
            statements.document_id = figures.document_id
            -- items printed as columns (one row) or as rows, the budget stage as "@budget"
            and figures.figure_key in (
                'st/three_public_expenses/-/' || replace(statements.item_code, 'three_public_total', 'total')
                || '/total',
                'st/three_public_expenses/-/' || replace(statements.item_code, 'three_public_total', 'total')
                || '@budget/total',
                'st/three_public_expenses/-/' || replace(statements.item_code, 'three_public_total', 'total')
                || '/total@budget'
            )
    where statements.subject_kind = 'three_public'
),

all_subject_cells as (
    select * from subject_cells
    union all
    select * from three_public_cells
),

table_final as (
    select
        document_id,
        statement_ordinal,
        -- the statement's first total cell (by line, then citation), not any of them
        arg_min(amount_yuan, (source_line, citation)) as amount_yuan,
        arg_min(half_unit_yuan, (source_line, citation)) as half_unit_yuan,
        arg_min(citation, (source_line, citation)) as citation,
        min(source_line) as source_line
    from all_subject_cells
    where measure = 'total'
    group by all
),

table_budget as (
    select
        document_id,
        statement_ordinal,
        -- the statement's first total cell (by line, then citation), not any of them
        arg_min(amount_yuan, (source_line, citation)) as amount_yuan,
        arg_min(half_unit_yuan, (source_line, citation)) as half_unit_yuan,
        arg_min(citation, (source_line, citation)) as citation,
        min(source_line) as source_line
    from all_subject_cells
    where measure = 'total@budget' and not is_blank
    group by all
),

resolved as (
    select
        statements.*,
        coalesce(statements.budget_yuan, table_budget.amount_yuan) as budget_used_yuan,
        case
            when statements.budget_yuan is not null
                then
                    0.5 * power(10, -statements.budget_decimals)
                    * case statements.budget_unit when '亿元' then 100000000 when '万元' then 10000 else 1 end
            else table_budget.half_unit_yuan
        end as budget_half_yuan,
        0.5 * power(10, -statements.final_decimals)
        * case statements.final_unit when '亿元' then 100000000 when '万元' then 10000 else 1 end
            as final_half_yuan,
        case
            when statements.budget_yuan is not null
                then
                    'narrative line ' || statements.source_line::varchar || ' [' || statements.subject
                    || ' ' || statements.budget_basis || '] = ' || statements.budget_value::double::varchar
                    || statements.budget_unit
            else table_budget.citation
        end as budget_source,
        coalesce(statements.source_line, table_budget.source_line) as budget_line,
        'narrative line ' || statements.source_line::varchar || ' [' || statements.subject || ' 决算] = '
        || coalesce(statements.final_value::double::varchar || statements.final_unit, 'not stated')
            as final_source,
        table_final.amount_yuan as table_final_yuan,
        table_final.half_unit_yuan as table_final_half_yuan,
        table_final.citation as table_final_source,
        table_final.source_line as table_final_line,
        table_budget.amount_yuan as table_budget_yuan,
        table_budget.half_unit_yuan as table_budget_half_yuan,
        table_budget.citation as table_budget_source,
        table_budget.source_line as table_budget_line
    from statements
    left join table_final
        on
            statements.document_id = table_final.document_id
            and statements.statement_ordinal = table_final.statement_ordinal
    left join table_budget
        on
            statements.document_id = table_budget.document_id
            and statements.statement_ordinal = table_budget.statement_ordinal
),

rate_checks as (
    select
        document_id,
        'finals.narrative_completion_rate' as rule_id,
        'line ' || source_line::varchar || ' / ' || subject as instance,
        rate_value as expected_yuan,
        case
            when budget_used_yuan > 0 then 100 * final_yuan / budget_used_yuan
        end as actual_yuan,
        0.5 * power(10, -rate_decimals)
        + case
            when budget_used_yuan > 0
                then
                    100 * (
                        final_half_yuan / budget_used_yuan
                        + final_yuan * budget_half_yuan / (budget_used_yuan * budget_used_yuan)
                    )
            else 0
        end as tolerance_yuan,
        final_yuan is null or coalesce(budget_used_yuan, 0) <= 0 as is_insufficient,
        'narrative line ' || source_line::varchar || ' [完成' || rate_basis || '的] = '
        || rate_value::double::varchar || '%' as expected_source,
        '100 × ' || final_source || ' / ' || coalesce(budget_source, 'no budget') as actual_source,
        [source_line] as expected_lines,
        [source_line, budget_line] as actual_lines
    from resolved
    where rate_value is not null
),

direction_checks as (
    select
        document_id,
        'finals.narrative_direction_word' as rule_id,
        'line ' || source_line::varchar || ' / ' || subject as instance,
        1 as expected_yuan,
        case
            when direction = 'greater' and final_yuan > budget_used_yuan then 1
            when direction = 'less' and final_yuan < budget_used_yuan then 1
            when direction = 'equal' and final_yuan = budget_used_yuan then 1
            else 0
        end as actual_yuan,
        0 as tolerance_yuan,
        final_yuan is null or budget_used_yuan is null as is_insufficient,
        'narrative line ' || source_line::varchar || ' says "' || direction_text || '"' as expected_source,
        final_source || ' vs ' || coalesce(budget_source, 'no budget') as actual_source,
        [source_line] as expected_lines,
        [source_line, budget_line] as actual_lines
    from resolved
    where direction is not null
),

outturn_checks as (
    select
        document_id,
        'finals.narrative_outturn_restates_table' as rule_id,
        'line ' || source_line::varchar || ' / ' || subject as instance,
        final_yuan as expected_yuan,
        table_final_yuan as actual_yuan,
        final_half_yuan + table_final_half_yuan as tolerance_yuan,
        false as is_insufficient,
        final_source as expected_source,
        table_final_source as actual_source,
        [source_line] as expected_lines,
        [table_final_line] as actual_lines
    from resolved
    where final_yuan is not null and table_final_yuan is not null
),

budget_checks as (
    select
        document_id,
        'finals.narrative_budget_restates_table' as rule_id,
        'line ' || source_line::varchar || ' / ' || subject as instance,
        budget_yuan as expected_yuan,
        table_budget_yuan as actual_yuan,
        budget_half_yuan + table_budget_half_yuan as tolerance_yuan,
        false as is_insufficient,
        budget_source as expected_source,
        table_budget_source as actual_source,
        [source_line] as expected_lines,
        [table_budget_line] as actual_lines
    from resolved
    where budget_yuan is not null and table_budget_yuan is not null
),

marks as (
    select marks.*
    from {{ ref('stg_raw__disclosure_marks') }} as marks
    inner join documents
        on marks.document_id = documents.document_id
),

placeholder_checks as (
    select
        documents.document_id,
        'finals.no_placeholder_text' as rule_id,
        '' as instance,
        0 as expected_yuan,
        count(distinct marks.source_line) as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        'a published 决算 prints no template placeholder' as expected_source,
        coalesce(
            'placeholders on ' || count(distinct marks.source_line)::varchar || ' line(s): '
            || string_agg(distinct 'line ' || marks.source_line::varchar || ' "' || marks.text || '"', '; '),
            'none'
        ) as actual_source,
        []::integer[] as expected_lines,
        coalesce(list(distinct marks.source_line order by marks.source_line), []::integer[]) as actual_lines
    from documents
    left join marks
        on
            documents.document_id = marks.document_id
            and marks.kind = 'placeholder'
    group by documents.document_id
),

as_of_checks as (
    select
        marks.document_id,
        'finals.year_consistent' as rule_id,
        'line ' || marks.source_line::varchar || ' / ' || marks.text as instance,
        documents.fiscal_year as expected_yuan,
        marks.year as actual_yuan,
        0 as tolerance_yuan,
        documents.fiscal_year is null as is_insufficient,
        'the document''s fiscal year ' || coalesce(documents.fiscal_year::varchar, 'unknown') as expected_source,
        'line ' || marks.source_line::varchar || ' "' || marks.text || '"' as actual_source,
        []::integer[] as expected_lines,
        [marks.source_line] as actual_lines
    from marks
    inner join documents
        on marks.document_id = documents.document_id
    where marks.kind = 'as_of_date'
),

-- a heading or title with years is consistent when one of them is the fiscal year
heading_years as (
    select
        marks.document_id,
        marks.source_line,
        any_value(marks.line_text) as line_text,
        bool_or(marks.year = documents.fiscal_year) as names_fiscal_year,
        min(marks.year) filter (where marks.year <> documents.fiscal_year) as other_year,
        any_value(documents.fiscal_year) as fiscal_year
    from marks
    inner join documents
        on marks.document_id = documents.document_id
    where marks.kind = 'heading_year'
    group by all
),

heading_checks as (
    select
        document_id,
        'finals.year_consistent' as rule_id,
        'line ' || source_line::varchar || ' / heading' as instance,
        fiscal_year as expected_yuan,
        case when names_fiscal_year then fiscal_year else other_year end as actual_yuan,
        0 as tolerance_yuan,
        fiscal_year is null as is_insufficient,
        'the document''s fiscal year ' || coalesce(fiscal_year::varchar, 'unknown') as expected_source,
        'line ' || source_line::varchar || ' "' || line_text || '"' as actual_source,
        []::integer[] as expected_lines,
        [source_line] as actual_lines
    from heading_years
),

three_public_tables as (
    select
        document_id,
        bool_or(not is_blank) as has_figure
    from cells
    where statement_type = 'three_public_expenses'
    group by all
),

three_public_mentions as (
    select narrative.*
    from {{ ref('stg_raw__narrative_figures') }} as narrative
    inner join documents
        on narrative.document_id = documents.document_id
    where
        narrative.unit in ('元', '万元', '亿元')
        and narrative.value > 0
        and regexp_matches(narrative.metric, '三公|因公出国|公务接待|公务用车')
),

three_public_narrative_checks as (
    select
        mentions.document_id,
        'finals.three_public_narrative_has_table' as rule_id,
        'line ' || mentions.source_line::varchar || ' / ' || mentions.metric as instance,
        mentions.amount_yuan as expected_yuan,
        0 as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        'narrative line ' || mentions.source_line::varchar || ' [' || mentions.metric || '] = '
        || mentions.value::double::varchar || mentions.unit as expected_source,
        'no 三公 table figure in the document' as actual_source,
        [mentions.source_line] as expected_lines,
        []::integer[] as actual_lines
    from three_public_mentions as mentions
    left join three_public_tables
        on mentions.document_id = three_public_tables.document_id
    where not coalesce(three_public_tables.has_figure, false)
),

final as (
    select * from rate_checks
    union all
    select * from direction_checks
    union all
    select * from outturn_checks
    union all
    select * from budget_checks
    union all
    select * from placeholder_checks
    union all
    select * from as_of_checks
    union all
    select * from heading_checks
    union all
    select * from three_public_narrative_checks
)

select
    document_id,
    rule_id,
    null::varchar as statement_type,
    instance,
    expected_yuan::decimal(38, 6) as expected_yuan,
    actual_yuan::decimal(38, 6) as actual_yuan,
    tolerance_yuan::decimal(38, 6) as tolerance_yuan,
    is_insufficient,
    expected_source,
    actual_source,
    expected_lines,
    actual_lines
from final
