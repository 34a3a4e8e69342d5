-- One row per reason a document needs a human (grain: document_id × reason_code × rule_id ×
-- instance). A document's problems are its own: each becomes a row here, never a failed or
-- skipped model for the other documents.
--
-- reason_code (severity error: the document needs review, `make run STRICT=1` fails on it)
--   extraction_failed      the document could not be read (quarantined): empty, binary, not a
--                          budget document, or it ends inside a table; detail = the error
--   incomplete             a table its 目录 lists or its kind requires is missing, or a table
--                          title has no rows (reconciliation family completeness)
--   integrity_failure      an unacknowledged failure of an integrity rule: a printed total
--                          disagrees with the rows read beneath it (probably a misread)
--   unresolved_department  amount cells that no department could be assigned to (no 部门名称
--                          and no issuing body recognised): the facts carry a null department
--   duplicate_grain        two fact rows (or two reconciliation checks) of the document share a
--                          grain: its reading is wrong somewhere (a misread header or label), so
--                          a sum over it may count money twice. The grain tests of those models
--                          warn instead of failing the build for every document.
-- reason_code (severity finding: reported, does not make the document need review)
--   source_discrepancy     an unacknowledged source discrepancy: the document contradicts itself
--   unresolved_name        a printed name or code that maps to nothing (marts.unresolved_names):
--                          the money is kept with a null code, the seed to extend is named
--
-- needs_review (marts.document_review_status) = the document has a reason of severity error:
-- the one definition, read by the Dagster check document_reconciles and by the run report.
with

results as (
    select * from {{ ref('reconciliation_results') }}
),

documents as (
    select
        document_id,
        file_name
    from {{ ref('stg_raw__documents') }}
),

cells as (
    select * from {{ ref('int_statement_cells') }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
),

unresolved_names as (
    select * from {{ ref('unresolved_names') }}
),

{#- the documented grain of each fact (and of reconciliation_results), as in the model YAML -#}
{%- set grains = {
    'fct_budget_revenue': ['department_key', 'function_code', 'fund_source_code', 'stage'],
    'fct_budget_expenditure': ['department_key', 'function_code', 'economic_code', 'expenditure_type', 'budget_period', 'stage'],
    'fct_appropriation_expenditure': ['department_key', 'function_code', 'fund_source_code', 'expenditure_type', 'stage'],
    'fct_basic_expenditure_economic': ['department_key', 'economic_code', 'government_economic_code', 'cost_type', 'printed_department_item_name', 'printed_government_item_name', 'stage'],
    'fct_three_public_expenses': ['department_key', 'item_code', 'fund_source_code', 'stage'],
    'fct_project_budget': ['project_key', 'fund_source_code', 'budget_period', 'stage'],
    'fct_project_expenditure_economic': ['department_key', 'economic_code', 'government_economic_code', 'printed_department_item_name', 'printed_government_item_name', 'stage'],
    'reconciliation_results': ['rule_id', 'instance'],
} %}

grain_violations as (
    {%- for model_name, columns in grains.items() %}
        select
            document_id,
            'duplicate_grain' as reason_code,
            'error' as severity,
            '{{ model_name }}' as rule_id,
            concat_ws(
                ' | ',
                {%- for column in columns %}
                    coalesce({{ column }}::varchar, '∅'){{ "," if not loop.last }}
                {%- endfor %}
            ) as instance,
            count(*)::varchar || ' rows of {{ model_name }} share one grain' as detail,
            null::integer as source_line
        from {{ ref(model_name) }}
        group by all
        having count(*) > 1
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

from_results as (
    select
        document_id,
        case
            when rule_id = 'completeness.document_extracted' then 'extraction_failed'
            when family = 'completeness' then 'incomplete'
            when severity = 'error' then 'integrity_failure'
            else 'source_discrepancy'
        end as reason_code,
        severity,
        rule_id,
        instance,
        case
            when rule_id = 'completeness.document_extracted' then actual_source
            when family = 'completeness' then expected_source || ': ' || actual_source
            else
                description
                || case when instance <> '' then ' [' || instance || ']' else '' end
                || ': printed ' || coalesce(expected_yuan::varchar, '–')
                || ', recomputed ' || coalesce(actual_yuan::varchar, '–')
                || ' (' || value_unit || '), difference ' || coalesce(difference_yuan::varchar, '–')
        end as detail,
        coalesce(expected_lines[1], actual_lines[1]) as source_line
    from results
    where
        status = 'fail'
        and not is_acknowledged
        and severity in ('error', 'finding')
    -- a duplicated check instance is one reason (and a duplicate_grain reason of its own)
    qualify row_number() over (partition by document_id, rule_id, instance order by detail) = 1
),

unresolved_departments as (
    select
        document_id,
        'unresolved_department' as reason_code,
        'error' as severity,
        null::varchar as rule_id,
        'T' || table_ordinal::varchar || ' ' || any_value(table_title) as instance,
        count(*)::varchar || ' amount cells of 「' || any_value(table_title)
        || '」 have no department: neither the table (部门名称 / 单位名称) nor the document '
        || 'names a budget unit that could be recognised' as detail,
        min(source_line) as source_line
    from cells
    where department_key is null
    group by document_id, table_ordinal
),

unresolved_performance_units as (
    select
        document_id,
        'unresolved_department' as reason_code,
        'error' as severity,
        null::varchar as rule_id,
        'P' || perf_ordinal::varchar || ' ' || coalesce(title, '') as instance,
        'performance table 「' || coalesce(project_name, title, '') || '」 has no unit: neither its '
        || 'project row, 实施单位, 主管部门 nor the document names one that could be recognised'
            as detail,
        first_line as source_line
    from performance_tables
    where department_key is null
),

unresolved_name_findings as (
    select
        document_id,
        'unresolved_name' as reason_code,
        'finding' as severity,
        null::varchar as rule_id,
        name_kind || ' ' || coalesce(printed_name, '') as instance,
        -- the name's first printing (by line, then wording): one code printed in two
        -- statements has two details, and any_value() would pick either from run to run
        arg_min(detail || ' (extend ' || resolution_hint || ')', (source_line, detail)) as detail,
        min(source_line) as source_line
    from unresolved_names
    where document_id is not null
    group by document_id, name_kind, printed_name
),

unioned as (
    select * from from_results
    union all
    select * from unresolved_departments
    union all
    select * from unresolved_performance_units
    union all
    select * from unresolved_name_findings
    union all
    select * from grain_violations
),

final as (
    select
        unioned.document_id,
        documents.file_name,
        unioned.reason_code,
        unioned.severity,
        coalesce(unioned.rule_id, '') as rule_id,
        coalesce(unioned.instance, '') as instance,
        unioned.detail,
        unioned.source_line
    from unioned
    inner join documents
        on unioned.document_id = documents.document_id
)

select * from final
