-- One row per project (grain: project_key): every project row of a 项目支出预算表 (first occurrence when
-- a project is printed in both the 本年 and the 上年结转 table), plus every project performance table that
-- matches no such row (documents without a project budget table, such as 闵行 2020, and the tables
-- the matcher left unmatched), keyed by document × unit × name.
with

project_rows as (
    select * from {{ ref('int_project_rows') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
    where {{ incremental_documents() }}
),

statement_projects as (
    select
        project_key,
        document_id,
        department_key,
        project_name,
        'budget_statement' as project_source,
        table_ordinal,
        row_ordinal,
        source_line,
        statement_type
    from project_rows
    qualify row_number() over (partition by project_key order by table_ordinal, row_ordinal) = 1
),

performance_only as (
    select
        performance_tables.project_key,
        performance_tables.document_id,
        min(performance_tables.department_key) as department_key,
        min(performance_tables.project_name) as project_name,
        'performance_table' as project_source,
        cast(null as integer) as table_ordinal,
        cast(null as integer) as row_ordinal,
        cast(null as integer) as source_line,
        cast(null as varchar) as statement_type
    from performance_tables
    left join statement_projects
        on
            performance_tables.document_id = statement_projects.document_id
            and performance_tables.project_key = statement_projects.project_key
    where
        performance_tables.project_key is not null
        and statement_projects.project_key is null
    group by performance_tables.project_key, performance_tables.document_id
),

final as (
    select * from statement_projects
    union all
    select * from performance_only
)

select * from final
