-- 整体支出绩效目标 funding: one row per document × overall-target table × fund source × expenditure type
-- (grain), from department / unit overall performance-target tables (阳泉 2025 整体支出绩效目标申报表, 开江
-- 2023 整体支出绩效目标批复表). Where the table crosses direction and source (开江: 基本支出 / 财政拨款 …) only the
-- crossed cells are kept; where it prints two separate breakdowns of the same money (阳泉: 按资金来源 and
-- 按资金方向), only the fund-source breakdown is kept (expenditure_type null) and the 合计 / direction
-- marginals are not facts. Σ amount_yuan = the table's 合计 without double counting.
with

funding as (
    select * from {{ ref('stg_raw__performance_funding') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('int_performance_tables') }}
    where {{ incremental_documents() }}
),

fund_sources as (
    select * from {{ ref('fund_sources') }}
),

classified as (
    select
        funding.*,
        fund_sources.fund_source_code,
        case
            when starts_with(funding.funding_label, '基本支出') then 'basic'
            when starts_with(funding.funding_label, '项目支出') then 'project'
        end as label_expenditure_type
    from funding
    inner join performance_tables
        on
            funding.document_id = performance_tables.document_id
            and funding.perf_ordinal = performance_tables.perf_ordinal
    left join fund_sources
        on funding.funding_axis = fund_sources.fund_source_code
    where performance_tables.family <> 'project_target'
),

table_shapes as (
    select
        document_id,
        perf_ordinal,
        bool_or(fund_source_code is not null and label_expenditure_type is not null) as is_crossed
    from classified
    group by all
),

leaves as (
    select classified.*
    from classified
    inner join table_shapes
        on
            classified.document_id = table_shapes.document_id
            and classified.perf_ordinal = table_shapes.perf_ordinal
    where
        classified.fund_source_code is not null
        and (not table_shapes.is_crossed or classified.label_expenditure_type is not null)
        and classified.amount_yuan is not null
),

final as (
    select
        left(md5(concat_ws('|', leaves.document_id, leaves.perf_ordinal, leaves.source_line, leaves.funding_label)), 16)
            as overall_funding_key,
        leaves.document_id,
        leaves.perf_ordinal,
        performance_tables.department_key,
        performance_tables.fiscal_year,
        leaves.fund_source_code,
        leaves.label_expenditure_type as expenditure_type,
        cast(leaves.amount_yuan as decimal(18, 2)) as amount_yuan,
        leaves.amount_printed,
        leaves.unit as printed_unit,
        leaves.raw_text,
        leaves.funding_label as printed_label,
        leaves.source_line,
        leaves.page_number
    from leaves
    inner join performance_tables
        on
            leaves.document_id = performance_tables.document_id
            and leaves.perf_ordinal = performance_tables.perf_ordinal
)

select * from final
