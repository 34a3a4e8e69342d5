-- One row per narrative check instance (grain: document × rule × narrative figure or line):
--   narrative_restates   a money figure of the narrative = the table figure it restates, the
--                        table figure rounded to the narrative's printed precision; candidates
--                        come from reconciliation_narrative_metrics (standard wording),
--                        function_codes / aliases (budget subjects) and expense_item_aliases
--                        (三公 items); the nearest candidate is the one compared; a notes file
--                        published apart from its tables restates the tables of the other files
--                        of its disclosure (int_documents.disclosure_key); a sentence about
--                        one project (该项目 / 本项目) is not compared with the tables
--   narrative_share      "X / 占比" = 100 × X / the sentence's head figure (first figure on the line);
--                        not checked where the head figure has a share of its own (the whole is
--                        then not printed on the line)
--   narrative_rate       "X / 增长率" = 100 × 增加 / (X − 增加); "X / 下降率" = 100 × 减少 / (X + 减少)
--   narrative_share_sum  the shares stated in one sentence add up to 100
-- A narrative figure whose wording maps to no table figure is not checked (it may state
-- something no table prints: 办公用房面积, previous-year changes).
-- Incremental by document (macros/incremental.sql): a document's checks read its own narrative,
-- figures and int_documents row, and those of the other files of its disclosure, which an
-- incremental refresh builds with it (orchestration/pipeline/state.py: disclosure_companions).
-- The unit list rule reads dim_department's corpus-wide units: int_reconciliation__unit_list_checks.
with

narrative as (
    select
        *,
        -- the printed precision: decimals of the value as stated (trailing zeros dropped)
        coalesce(
            length(regexp_extract(rtrim(rtrim(value::varchar, '0'), '.'), '\.(\d+)$', 1)),
            0
        )::integer as printed_decimals,
        {{ reconciliation_unit_factor('unit') }} as unit_factor,
        'narrative line ' || source_line::varchar || ' [' || metric || '] = '
        || value::double::varchar || unit as citation
    from {{ ref('stg_raw__narrative_figures') }}
    where {{ incremental_documents() }}
),

all_figures as (
    select * from {{ ref('int_reconciliation__figures') }}
    where {{ incremental_documents() }}
),

loaded_documents as (
    select
        document_id,
        file_name,
        disclosure_key
    from {{ ref('int_documents') }}
    where
        extraction_status = 'loaded'
        and {{ incremental_documents() }}
),

table_documents as (
    select distinct document_id
    from all_figures
    where starts_with(figure_key, 'st/')
),

-- The table figures a document's narrative restates: its own; for a notes file that prints no
-- statement table, those of the other files of its disclosure (the tables file published beside
-- it), cited with that file's name (their lines are the other file's, so none are listed here).
figures as (
    select * from all_figures
    union all
    select
        all_figures.* replace (
            notes.document_id as document_id,
            all_figures.citation || ' (' || tables_file.file_name || ')' as citation,
            []::integer[] as source_lines
        )
    from loaded_documents as notes
    inner join loaded_documents as tables_file
        on
            notes.disclosure_key = tables_file.disclosure_key
            and notes.document_id <> tables_file.document_id
    inner join all_figures
        on tables_file.document_id = all_figures.document_id
    where
        notes.document_id not in (select table_documents.document_id from table_documents)
        and tables_file.document_id in (select table_documents.document_id from table_documents)
        and starts_with(all_figures.figure_key, 'st/')
),

function_names as (
    select
        {{ reconciliation_name_key('name') }} as name_key,
        function_code
    from {{ ref('function_codes') }}
    union
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        function_code
    from {{ ref('function_code_aliases') }}
),

item_names as (
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        item_code
    from {{ ref('expense_item_aliases') }}
),

-- the totals of a 功能分类 code in the statements of the expenditure side ('st/<statement>/<side>/
-- fc<code>/total') under each name of the code: the narrative's classes then join them by
-- document and name, both equalities (a LIKE on the key made every narrative figure meet every
-- statement figure of its document first: 30 million rows at 1,000 documents)
class_totals as (
    select
        figures.document_id,
        figures.figure_key,
        function_names.name_key
    from figures
    inner join function_names
        on regexp_extract(figures.figure_key, '^st/.*/fc([^/]+)/total$', 1) = function_names.function_code
    where
        starts_with(figures.figure_key, 'st/')
        and split_part(figures.figure_key, '/', 3) in ('-', 'expenditure')
),

candidate_keys as (
    select
        narrative.document_id,
        narrative.figure_ordinal,
        metrics.figure_key
    from narrative
    inner join {{ ref('reconciliation_narrative_metrics') }} as metrics
        on narrative.metric = metrics.metric
    union
    select
        narrative.document_id,
        narrative.figure_ordinal,
        class_totals.figure_key
    from narrative
    inner join class_totals
        -- a 决算 names a class "教育（类）支出" / "卫生健康支出（类）支出": the class is "教育支出"
        on
            narrative.document_id = class_totals.document_id
            and {{ reconciliation_name_key("regexp_replace(narrative.metric, '(支出)?[（(]类[）)](支出)?$', '支出')") }}
            = class_totals.name_key
    union
    select
        narrative.document_id,
        narrative.figure_ordinal,
        'st/three_public_expenses/-/' || item_names.item_code || '/total' as figure_key
    from narrative
    inner join item_names
        on {{ reconciliation_name_key('narrative.metric') }} = item_names.name_key
),

restated as (
    select
        narrative.document_id,
        narrative.figure_ordinal,
        narrative.source_line,
        narrative.metric,
        narrative.amount_yuan as expected_yuan,
        narrative.citation as expected_source,
        {{ reconciliation_decimal_step('narrative.printed_decimals') }} * narrative.unit_factor
            as precision_yuan,
        figures.amount_yuan as table_yuan,
        figures.citation as actual_source,
        figures.source_lines as actual_lines,
        -- the table's figure rounded to the narrative's last printed decimal, in DECIMAL
        cast(round(
            figures.amount_yuan
            / ({{ reconciliation_decimal_step('narrative.printed_decimals') }} * narrative.unit_factor)
        ) as decimal(38, 0))
        * {{ reconciliation_decimal_step('narrative.printed_decimals') }} * narrative.unit_factor
            as actual_yuan
    from narrative
    -- the candidate figures first, then the narrative: joined the other way DuckDB met every
    -- narrative figure with every table figure of its document (31 million rows at 1,000
    -- documents) before the keys filtered them
    inner join (
        select
            candidate_keys.document_id,
            candidate_keys.figure_ordinal,
            figures.amount_yuan,
            figures.citation,
            figures.source_lines
        from candidate_keys
        inner join figures
            on
                candidate_keys.document_id = figures.document_id
                and candidate_keys.figure_key = figures.figure_key
    ) as figures
        on
            narrative.document_id = figures.document_id
            and narrative.figure_ordinal = figures.figure_ordinal
    where
        narrative.unit_factor is not null
        and narrative.amount_yuan is not null
        -- a sentence about one project ("该项目批复的年初预算数…，上年结转120.00万元") states
        -- that project's money, not the document's
        and not regexp_matches(coalesce(narrative.sentence, ''), '(该|本|此)项目')
),

nearest as (
    select *
    from restated
    qualify row_number() over (
        partition by document_id, figure_ordinal
        order by abs(expected_yuan - actual_yuan), actual_source
    ) = 1
),

restate_checks as (
    select
        document_id,
        'narrative.figure_restates_table' as rule_id,
        'L' || source_line::varchar || ' #' || figure_ordinal::varchar || ' ' || metric as instance,
        expected_yuan,
        actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        expected_source,
        actual_source || ' (rounded to the narrative''s precision)' as actual_source,
        [source_line] as expected_lines,
        actual_lines
    from nearest
),

-- shares and rates ---------------------------------------------------------------------------
heads as (
    select
        document_id,
        source_line,
        arg_min(amount_yuan, figure_ordinal) as head_yuan,
        arg_min(citation, figure_ordinal) as head_citation,
        arg_min(metric, figure_ordinal) as head_metric
    from narrative
    where
        unit_factor is not null
        and not contains(metric, ' / ')
    group by all
),

subjects as (
    select * from narrative
    where not contains(metric, ' / ')
),

shares as (
    select
        narrative.*,
        split_part(narrative.metric, ' / ', 1) as subject_metric
    from narrative
    where narrative.metric like '% / 占比'
),

share_checks as (
    select
        shares.document_id,
        'narrative.share_recomputed' as rule_id,
        'L' || shares.source_line::varchar || ' #' || shares.figure_ordinal::varchar || ' '
        || shares.metric as instance,
        shares.value as expected_yuan,
        -- a percentage rounded to the share's printed decimals (at most 4), held as DECIMAL
        round(100 * subject.amount_yuan / heads.head_yuan, shares.printed_decimals)::decimal(38, 4)
            as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        shares.citation as expected_source,
        '100 × ' || subject.citation || ' / ' || heads.head_citation as actual_source,
        [shares.source_line] as expected_lines,
        [shares.source_line] as actual_lines
    from shares
    inner join heads
        on
            shares.document_id = heads.document_id
            and shares.source_line = heads.source_line
            and heads.head_yuan <> 0
    -- the subject: the nearest figure of that metric printed before the share on the line
    inner join lateral (
        select subjects.*
        from subjects
        where
            subjects.document_id = shares.document_id
            and subjects.source_line = shares.source_line
            and subjects.metric = shares.subject_metric
            and subjects.figure_ordinal < shares.figure_ordinal
        order by subjects.figure_ordinal desc
        limit 1
    ) as subject on true
    -- when the head figure has a share of its own, the whole is not printed on the line (决算
    -- "因公出国（境）费…4.69万元，占10.15%；公务用车…": shares of the 三公 total of the line before)
    where not exists (
        select 1
        from shares as own_shares
        where
            own_shares.document_id = shares.document_id
            and own_shares.source_line = shares.source_line
            and own_shares.subject_metric = heads.head_metric
    )
),

rates as (
    select
        rate.*,
        split_part(rate.metric, ' / ', 1) as subject_metric,
        case
            when rate.metric like '% / 增长率' then '比上年增加'
            when rate.metric like '% / 下降率' then '比上年减少'
        end as change_relation
    from narrative as rate
    where rate.metric like '% / 增长率' or rate.metric like '% / 下降率'
),

rate_checks as (
    select
        rates.document_id,
        'narrative.change_rate_recomputed' as rule_id,
        'L' || rates.source_line::varchar || ' #' || rates.figure_ordinal::varchar || ' '
        || rates.metric as instance,
        rates.value as expected_yuan,
        round(
            100 * change_figure.amount_yuan / case
                when rates.change_relation = '比上年增加' then subject.amount_yuan - change_figure.amount_yuan
                else subject.amount_yuan + change_figure.amount_yuan
            end,
            rates.printed_decimals
        )::decimal(38, 4) as actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        rates.citation as expected_source,
        '100 × ' || change_figure.citation || ' / (' || subject.citation
        || case when rates.change_relation = '比上年增加' then ' − ' else ' + ' end
        || 'the change)' as actual_source,
        [rates.source_line] as expected_lines,
        [rates.source_line] as actual_lines
    from rates
    inner join narrative as change_figure
        on
            rates.document_id = change_figure.document_id
            and rates.source_line = change_figure.source_line
            and change_figure.metric = rates.subject_metric || ' / ' || rates.change_relation
    inner join subjects as subject
        on
            rates.document_id = subject.document_id
            and rates.source_line = subject.source_line
            and rates.subject_metric = subject.metric
    qualify row_number() over (
        partition by rates.document_id, rates.figure_ordinal
        order by
            abs(change_figure.figure_ordinal - rates.figure_ordinal),
            abs(subject.figure_ordinal - rates.figure_ordinal),
            change_figure.figure_ordinal,
            subject.figure_ordinal
    ) = 1
),

share_sum_checks as (
    select
        document_id,
        'narrative.shares_sum_to_100' as rule_id,
        'L' || source_line::varchar as instance,
        100 as expected_yuan,
        sum(value) as actual_yuan,
        0.005 * count(*) as tolerance_yuan,
        false as is_insufficient,
        'narrative line ' || source_line::varchar || ': the shares of one whole' as expected_source,
        string_agg(citation, ' + ' order by figure_ordinal) as actual_source,
        [source_line] as expected_lines,
        [source_line] as actual_lines
    from shares
    group by document_id, source_line
    having count(*) >= 2
),

final as (
    select * from restate_checks
    union all
    select * from share_checks
    union all
    select * from rate_checks
    union all
    select * from share_sum_checks
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
from final
