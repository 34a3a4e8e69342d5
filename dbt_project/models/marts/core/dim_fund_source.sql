-- One row per fund source 资金来源 (grain: fund_source_code), with its Chinese name and parent.
with

fund_sources as (
    select * from {{ ref('fund_sources') }}
),

final as (
    select
        fund_source_code,
        name as fund_source_name,
        parent_fund_source_code,
        measure as statement_measure,
        sort_order
    from fund_sources
)

select * from final
