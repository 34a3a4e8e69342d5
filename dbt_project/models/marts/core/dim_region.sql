-- One row per administrative division 行政区划 (grain: region_code), from the regions seed (民政部 codes).
with

regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        region_code,
        name as region_name,
        level as region_level,
        parent_region_code
    from regions
)

select * from final
