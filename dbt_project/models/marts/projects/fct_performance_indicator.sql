-- 绩效指标: one row per indicator of a performance table (grain: document_id × perf_ordinal ×
-- indicator_ordinal): the project's indicators (project_key set) or a department's / unit's overall
-- target indicators (project_key null). Levels 一级 / 二级 / 三级, period (实施期 / 年度 where the table
-- splits them), target as printed, comparator, numeric value and unit, weight (权重) where printed.
-- Not money: there is no amount to sum.
with

indicators as (
    select * from {{ ref('stg_raw__performance_indicators') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
    where {{ incremental_documents() }}
),

final as (
    select
        left(md5(concat_ws('|', indicators.document_id, indicators.perf_ordinal, indicators.indicator_ordinal)), 16)
            as indicator_key,
        indicators.document_id,
        indicators.perf_ordinal,
        indicators.indicator_ordinal,
        performance_tables.family as target_family,
        performance_tables.project_key,
        performance_tables.department_key,
        performance_tables.fiscal_year,
        indicators.period,
        indicators.level1 as level1_name,
        indicators.level2 as level2_name,
        indicators.level3 as level3_name,
        indicators.target_raw,
        indicators.comparator,
        indicators.target_value,
        indicators.target_unit,
        indicators.nature,
        indicators.weight,
        indicators.remark,
        indicators.source_line,
        indicators.page_number
    from indicators
    inner join performance_tables
        on
            indicators.document_id = performance_tables.document_id
            and indicators.perf_ordinal = performance_tables.perf_ordinal
)

select * from final
