-- One row per project (grain: project_key): document, department (the budget unit that carries it),
-- name, attributes from its performance table (一次性 / 经常性, period, dates), the matched performance
-- table and how it was matched, and the printed totals of the performance table (项目总预算 / 实施期资金总额,
-- 年度资金总额 / 当年预算) as attributes — the money itself is in fct_project_budget (budget table) and
-- fct_project_funding (performance table, by level of government).
with

projects as (
    select * from {{ ref('int_projects') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
    where {{ incremental_documents() }}
),

funding as (
    select * from {{ ref('stg_raw__performance_funding') }}
    where {{ incremental_documents() }}
),

-- The performance table that describes the project best: highest match confidence, then first printed.
best_table as (
    select
        project_key,
        perf_ordinal,
        document_id,
        project_attribute,
        project_category,
        project_period,
        start_date,
        end_date,
        match_method,
        match_confidence,
        count(*) over (partition by project_key) as performance_table_count
    from performance_tables
    where project_key is not null
    qualify row_number() over (
        partition by project_key
        order by coalesce(match_confidence, 0) desc, perf_ordinal
    ) = 1
),

printed_totals as (
    select
        document_id,
        perf_ordinal,
        max(amount_yuan) filter (where funding_axis in ('total', 'current_year') and period = 'annual')
            as printed_annual_total_yuan,
        max(amount_yuan) filter (
            where (funding_axis = 'total' and period = 'implementation') or funding_axis = 'project_total'
        ) as printed_implementation_total_yuan
    from funding
    group by all
),

final as (
    select
        projects.project_key,
        projects.document_id,
        projects.department_key,
        projects.project_name,
        projects.project_source,
        projects.statement_type,
        projects.table_ordinal,
        projects.row_ordinal,
        projects.source_line,
        best_table.perf_ordinal as performance_table_ordinal,
        coalesce(best_table.performance_table_count, 0) as performance_table_count,
        best_table.match_method,
        best_table.match_confidence,
        best_table.project_attribute,
        best_table.project_category,
        best_table.project_period,
        best_table.start_date,
        best_table.end_date,
        cast(printed_totals.printed_annual_total_yuan as decimal(18, 2)) as printed_annual_total_yuan,
        cast(printed_totals.printed_implementation_total_yuan as decimal(18, 2))
            as printed_implementation_total_yuan
    from projects
    left join best_table
        on
            projects.document_id = best_table.document_id
            and projects.project_key = best_table.project_key
    left join printed_totals
        on
            best_table.document_id = printed_totals.document_id
            and best_table.perf_ordinal = printed_totals.perf_ordinal
)

select * from final
