-- Name → 功能分类 code lookup for rows printed without a code (grain: name_key). Official 类 names
-- (the class rows of 收支总表 / 财政拨款收支总表 print ordinal + name only) plus every alias of the seed.
-- Lower levels are not looked up by name: 项 names such as 行政运行 recur under many 款.
with

codes as (
    select * from {{ ref('function_codes') }}
),

aliases as (
    select * from {{ ref('function_code_aliases') }}
),

official as (
    select
        regexp_replace(name, '\s+', '', 'g') as name_key,
        function_code,
        'official_name' as match_kind
    from codes
    where level = '类'
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
