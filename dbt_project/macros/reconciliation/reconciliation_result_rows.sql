{#-
    The rows of marts.reconciliation_results from check models (their names, as arguments):
    every identity the documents imply, checked.
    expected is the figure the rule treats as printed truth (the total, the restated figure),
    actual the figure recomputed from the other side; difference = expected − actual.
    status: exact | rounding (within the rounding the printed precision allows) | fail |
    insufficient_data (an input is missing or unreadable). A failure listed in the seed
    acknowledged_discrepancies (keyed by document_id, the content hash, so an edited file is
    not silently acknowledged) is reported with its reason and does not fail the build.

    reconciliation_results is the union of two models this macro builds:
    int_reconciliation__document_results (the checks of one document's own tables and
    narrative: incremental by document, so a refresh writes only the documents it builds) and
    int_reconciliation__corpus_results (the unit list, completeness and 决算 checks, which
    read corpus-wide models: a table). Every input is filtered with incremental_documents() (true
    in a table) and every join is on document_id.
-#}
{% macro reconciliation_result_rows() %}
with

rules as (
    select
        *,
        {{ reconciliation_split('statements', '|') }} as statement_list
    from {{ ref('reconciliation_rules') }}
),

-- a document-level rule has instance '' (a blank CSV cell loads as null)
acknowledged as (
    select
        document_id,
        rule_id,
        coalesce(instance, '') as instance,
        reason
    from {{ ref('acknowledged_discrepancies') }}
),

documents as (
    select
        document_id,
        file_name
    from {{ ref('stg_raw__documents') }}
    where {{ incremental_documents() }}
),

-- each check model's rows of the documents built
checks as (
    {{ reconciliation_check_rows(varargs) }}
),

applicable_checks as (
    select
        checks.*,
        rules.family,
        rules.failure_class,
        rules.severity,
        rules.description,
        rules.tolerance_rule,
        rules.value_unit
    from checks
    inner join rules
        on checks.rule_id = rules.rule_id
    -- a rule restricted to some statement types applies only to those tables
    where
        checks.statement_type is null
        or list_contains(rules.statement_list, '*')
        or list_contains(rules.statement_list, checks.statement_type)
),

-- the printed page of every cited line of a PDF (text dumps have none)
line_pages as (
    select
        document_id,
        source_line,
        page_number
    from {{ ref('stg_raw__layout_lines') }}
    where page_number is not null and {{ incremental_documents() }}
),

-- compare at the published precision (to the fen), so that status and difference agree
scored as (
    select
        * exclude (expected_yuan, actual_yuan),
        cast(expected_yuan as decimal(18, 2)) as expected_yuan,
        cast(actual_yuan as decimal(18, 2)) as actual_yuan,
        cast(
            case
                when tolerance_rule = 'exact' then 0
                else tolerance_yuan
            end as decimal(18, 3)
        ) as allowed_yuan
    from applicable_checks
),

-- the pages each side is printed on: the cited lines unnested and joined to their pages, per
-- result (document × rule × instance, the grain), not a subquery per result
cited_lines as (
    select
        document_id,
        rule_id,
        instance,
        'expected' as side,
        unnest(expected_lines) as source_line
    from scored
    union all
    select
        document_id,
        rule_id,
        instance,
        'actual' as side,
        unnest(actual_lines) as source_line
    from scored
),

cited_pages as (
    select
        cited_lines.document_id,
        cited_lines.rule_id,
        cited_lines.instance,
        list_sort(list_distinct(
            list(line_pages.page_number) filter (where cited_lines.side = 'expected')
        )) as expected_pages,
        list_sort(list_distinct(
            list(line_pages.page_number) filter (where cited_lines.side = 'actual')
        )) as actual_pages
    from cited_lines
    inner join line_pages
        on
            cited_lines.document_id = line_pages.document_id
            and cited_lines.source_line = line_pages.source_line
    group by cited_lines.document_id, cited_lines.rule_id, cited_lines.instance
),

final as (
    select
        scored.document_id,
        documents.file_name,
        scored.rule_id,
        scored.instance,
        scored.family,
        scored.failure_class,
        scored.severity,
        scored.description,
        -- the *_yuan columns hold this unit: 元 for money; % / count / weight for the narrative
        -- shares, counted rows and indicator weights
        scored.value_unit,
        scored.expected_yuan,
        scored.actual_yuan,
        scored.expected_yuan - scored.actual_yuan as difference_yuan,
        scored.allowed_yuan as tolerance_yuan,
        {{ reconciliation_status(
            'scored.expected_yuan', 'scored.actual_yuan', 'scored.allowed_yuan',
            'scored.is_insufficient'
        ) }} as status,
        acknowledged.reason is not null as is_acknowledged,
        acknowledged.reason as acknowledgement_reason,
        scored.expected_source,
        scored.actual_source,
        scored.expected_lines,
        scored.actual_lines,
        cited_pages.expected_pages,
        cited_pages.actual_pages
    from scored
    left join documents
        on scored.document_id = documents.document_id
    left join acknowledged
        on
            scored.document_id = acknowledged.document_id
            and scored.rule_id = acknowledged.rule_id
            and scored.instance = acknowledged.instance
    left join cited_pages
        on
            scored.document_id = cited_pages.document_id
            and scored.rule_id = cited_pages.rule_id
            and scored.instance = cited_pages.instance
)

select * from final
{% endmacro %}

{#- the rows of each check model of the documents built, in one union -#}
{% macro reconciliation_check_rows(check_models) -%}
    {%- set selects = [] -%}
    {%- for check_model in check_models -%}
        {%- do selects.append(
            'select * from ' ~ ref(check_model) ~ ' where ' ~ incremental_documents()
        ) -%}
    {%- endfor -%}
    {%- do return(selects | join('\n    union all\n    ')) -%}
{%- endmacro %}
