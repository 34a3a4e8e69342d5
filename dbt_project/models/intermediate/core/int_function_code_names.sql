-- Name → 功能分类 code lookup for rows printed without a code (grain: name_key). Official 类 names
-- (the class rows of 收支总表 / 财政拨款收支总表 print ordinal + name only), the former names of
-- classes renamed between scheme years (function_code_crosswalk: a 2018 table prints
-- 国土海洋气象等支出 for 220), plus every alias of the seed.
-- Lower levels are not looked up by name: 项 names such as 行政运行 recur under many 款.
with

codes as (
    select * from {{ ref('function_codes') }}
),

aliases as (
    select * from {{ ref('function_code_aliases') }}
),

crosswalk as (
    select * from {{ ref('function_code_crosswalk') }}
),

official as (
    select
        regexp_replace(name, '\s+', '', 'g') as name_key,
        function_code,
        'official_name' as match_kind
    from codes
    where level = '类'
),

former_names as (
    select
        regexp_replace(from_name, '\s+', '', 'g') as name_key,
        to_code as function_code,
        'former_name' as match_kind
    from crosswalk
    where length(to_code) = 3
),

variants as (
    select
        regexp_replace(translate(printed_name, '()', '（）'), '\s+', '', 'g') as name_key,
        function_code,
        'alias' as match_kind
    from aliases
),

unioned as (
    select * from official
    union all
    select * from former_names
    union all
    select * from variants
),

final as (
    select
        name_key,
        function_code,
        match_kind
    from unioned
    qualify row_number() over (partition by name_key order by match_kind desc, function_code asc) = 1
)

select * from final
