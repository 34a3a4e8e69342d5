-- One row per level-of-government funding axis value of project performance tables (grain:
-- funding_level_code): 中央 / 省级 / 市县（区）/ 单位自筹 / 其他 and 上级 / 本级 / 下级. Distinct from fund sources.
with

levels as (
    select * from {{ ref('funding_levels') }}
),

final as (
    select
        funding_level_code,
        name as funding_level_name,
        scheme,
        is_government_funding,
        sort_order
    from levels
)

select * from final
