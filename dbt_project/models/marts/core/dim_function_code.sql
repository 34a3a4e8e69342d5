-- One row per 功能分类 code (grain: function_code): the 2025 reference seed plus any code a document
-- prints that the seed lacks (is_in_reference = false; listed in unresolved_names). printed_names
-- lists every way the code is printed in the documents; alias_names the seed's known variants.
with

codes as (
    select * from {{ ref('function_codes') }}
),

aliases as (
    select * from {{ ref('function_code_aliases') }}
),

cells as (
    select * from {{ ref('int_statement_cells') }}
),

printed as (
    select distinct
        function_code,
        row_name
    from cells
    where function_code is not null and row_name is not null and row_name <> ''
),

printed_names as (
    select
        function_code,
        string_agg(row_name, ' | ' order by row_name) as printed_names
    from printed
    group by function_code
),

alias_names as (
    select
        function_code,
        string_agg(printed_name, ' | ' order by printed_name) as alias_names
    from aliases
    group by function_code
),

-- Codes printed but missing from the reference seed: kept so that every fact row resolves.
unknown as (
    select
        printed.function_code,
        case length(printed.function_code)
            when 3 then '类'
            when 5 then '款'
            when 7 then '项'
        end as level,  -- public column name -- noqa: RF04
        case length(printed.function_code) when 3 then 1 when 5 then 2 when 7 then 3 end as level_number,
        case
            when length(printed.function_code) > 3
                then left(printed.function_code, length(printed.function_code) - 2)
        end as parent_code,
        min(printed.row_name) as name  -- public column name -- noqa: RF04
    from printed
    left join codes
        on printed.function_code = codes.function_code
    where codes.function_code is null
    group by printed.function_code
),

all_codes as (
    select
        function_code,
        level,
        level_number,
        parent_code,
        name,
        true as is_in_reference
    from codes
    union all
    select
        function_code,
        level,
        level_number,
        parent_code,
        name,
        false as is_in_reference
    from unknown
),

final as (
    select
        all_codes.function_code,
        all_codes.level,
        all_codes.level_number,
        all_codes.parent_code,
        all_codes.name as function_name,
        left(all_codes.function_code, 3) as class_code,
        case when all_codes.level_number >= 2 then left(all_codes.function_code, 5) end as section_code,
        all_codes.is_in_reference,
        '财政部《2025年政府收支分类科目》' as reference_source,
        printed_names.printed_names,
        alias_names.alias_names
    from all_codes
    left join printed_names
        on all_codes.function_code = printed_names.function_code
    left join alias_names
        on all_codes.function_code = alias_names.function_code
)

select * from final
