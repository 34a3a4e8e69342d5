-- 项目资金 by level of government: one row per document × performance table (project) × funding level
-- (grain), from the 项目资金 block of project performance tables: 中央 / 省级 / 市县（区）/ 单位自筹 / 其他资金
-- (山西), 上级 / 本级 / 下级财政 / 其他资金 (上海). amount_yuan is the 年度 (annual) figure, the one comparable
-- with the budget; implementation_amount_yuan is the 实施期 figure of the same level where printed. The
-- printed totals (年度资金总额, 实施期资金总额, 项目总预算, 当年预算, 财政拨款) are parents of these rows and are not
-- facts (see dim_project): Σ amount_yuan never counts money twice, and the two periods are never added.
with

funding as (
    select * from {{ ref('stg_raw__performance_funding') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
    where {{ incremental_documents() }}
),

levels as (
    select * from {{ ref('funding_levels') }}
),

-- The project's name beside its key, so that a ranking of funding rows (analyst guide query 2)
-- needs no join with dim_project before its top-N. A project key hashes its document, so a
-- project joins the performance tables of its own document only.
projects as (
    select
        project_key,
        project_name
    from {{ ref('int_projects') }}
    where {{ incremental_documents() }}
),

leaf_funding as (
    select funding.*
    from funding
    inner join levels
        on funding.funding_axis = levels.funding_level_code
),

by_level as (
    select
        document_id,
        perf_ordinal,
        funding_axis as funding_level_code,
        -- The 上海 template prints one period (当年预算): its level rows count as annual.
        max(amount_yuan) filter (where coalesce(period, 'annual') = 'annual') as annual_amount_yuan,
        max(amount_yuan) filter (where period = 'implementation') as implementation_amount_yuan,
        max(source_line) filter (where coalesce(period, 'annual') = 'annual') as annual_source_line,
        max(source_line) filter (where period = 'implementation') as implementation_source_line,
        max(page_number) filter (where coalesce(period, 'annual') = 'annual') as annual_page_number,
        max(raw_text) filter (where coalesce(period, 'annual') = 'annual') as annual_raw_text,
        max(raw_text) filter (where period = 'implementation') as implementation_raw_text,
        max(funding_label) as printed_label,
        max(unit) as printed_unit,
        count(*) filter (where coalesce(period, 'annual') = 'annual') as annual_cells
    from leaf_funding
    group by all
),

final as (
    select
        left(md5(concat_ws('|', by_level.document_id, by_level.perf_ordinal, by_level.funding_level_code)), 16)
            as project_funding_key,
        by_level.document_id,
        performance_tables.project_key,
        projects.project_name,
        performance_tables.department_key,
        performance_tables.fiscal_year,
        by_level.perf_ordinal,
        by_level.funding_level_code,
        cast(by_level.annual_amount_yuan as decimal(18, 2)) as amount_yuan,
        cast(by_level.implementation_amount_yuan as decimal(18, 2)) as implementation_amount_yuan,
        by_level.annual_raw_text,
        by_level.implementation_raw_text,
        by_level.printed_label,
        by_level.printed_unit,
        by_level.annual_source_line as source_line,
        by_level.annual_page_number as page_number,
        by_level.implementation_source_line
    from by_level
    inner join performance_tables
        on
            by_level.document_id = performance_tables.document_id
            and by_level.perf_ordinal = performance_tables.perf_ordinal
    left join projects
        on performance_tables.project_key = projects.project_key
    where
        by_level.annual_amount_yuan is not null
        or by_level.implementation_amount_yuan is not null
)

select * from final
