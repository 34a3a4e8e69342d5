-- One row per 经济分类 code of either system (grain: economic_code; codes of the two systems never
-- overlap: 3xx = 部门预算支出经济分类, 5xx = 政府预算支出经济分类). Reference seed plus any code printed that the
-- seed lacks (is_in_reference = false). The mapping between the systems as documents print it is in
-- bridge_economic_code_mapping.
with

codes as (
    select * from {{ ref('economic_codes') }}
),

aliases as (
    select * from {{ ref('economic_code_aliases') }}
),

cells as (
    select * from {{ ref('int_statement_cells') }}
),

printed as (
    select distinct
        economic_code,
        coalesce(economic_name_department, row_name) as printed_name
    from cells
    where economic_code is not null
),

printed_names as (
    select
        economic_code,
        string_agg(printed_name, ' | ' order by printed_name) as printed_names
    from printed
    where printed_name is not null and printed_name <> ''
    group by economic_code
),

alias_names as (
    select
        economic_code,
        string_agg(printed_name, ' | ' order by printed_name) as alias_names
    from aliases
    group by economic_code
),

unknown as (
    select
        printed.economic_code,
        case
            when left(printed.economic_code, 1) = '5' then 'government'
            else 'department'
        end as system,  -- public column name -- noqa: RF04
        case length(printed.economic_code) when 3 then '类' else '款' end as level,  -- public column -- noqa: RF04
        case length(printed.economic_code) when 3 then 1 else 2 end as level_number,
        case when length(printed.economic_code) > 3 then left(printed.economic_code, 3) end as parent_code,
        min(printed.printed_name) as name  -- public column name -- noqa: RF04
    from printed
    left join codes
        on printed.economic_code = codes.economic_code
    where codes.economic_code is null
    group by printed.economic_code
),

all_codes as (
    select
        economic_code,
        system,
        level,
        level_number,
        parent_code,
        name,
        true as is_in_reference
    from codes
    union all
    select
        economic_code,
        system,
        level,
        level_number,
        parent_code,
        name,
        false as is_in_reference
    from unknown
),

final as (
    select
        all_codes.economic_code,
        all_codes.system,
        case all_codes.system
            when 'department' then '部门预算支出经济分类'
            else '政府预算支出经济分类'
        end as system_name,
        all_codes.level,
        all_codes.level_number,
        all_codes.parent_code,
        all_codes.name as economic_name,
        all_codes.is_in_reference,
        '财政部《2025年政府收支分类科目》' as reference_source,
        printed_names.printed_names,
        alias_names.alias_names
    from all_codes
    left join printed_names
        on all_codes.economic_code = printed_names.economic_code
    left join alias_names
        on all_codes.economic_code = alias_names.economic_code
)

select * from final
