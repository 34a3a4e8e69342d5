-- Name → 经济分类 code lookup within one system (grain: system × name_key). Official names (款 before
-- 类) plus the alias seed; a name that is the official name of two 款 of one system (e.g. 房屋建筑物购建
-- under 309 and 310) is flagged ambiguous and resolves to the lowest code only for display —
-- marts.unresolved_names lists it.
with

codes as (
    select * from {{ ref('economic_codes') }}
),

aliases as (
    select * from {{ ref('economic_code_aliases') }}
),

official as (
    select
        system,
        regexp_replace(translate(name, '()', '（）'), '\s+', '', 'g') as name_key,
        economic_code,
        level_number,
        'official_name' as match_kind
    from codes
),

variants as (
    select
        aliases.system,
        regexp_replace(translate(aliases.printed_name, '()', '（）'), '\s+', '', 'g') as name_key,
        aliases.economic_code,
        codes.level_number,
        'alias' as match_kind
    from aliases
    inner join codes
        on aliases.economic_code = codes.economic_code
),

unioned as (
    select * from official
    union all
    select * from variants
),

ranked as (
    select
        *,
        count(*) over (partition by system, name_key, level_number, match_kind) as candidates_at_rank,
        row_number() over (
            partition by system, name_key
            order by match_kind desc, level_number desc, economic_code asc
        ) as match_rank
    from unioned
),

final as (
    select
        system,
        name_key,
        economic_code,
        match_kind,
        candidates_at_rank > 1 as is_ambiguous
    from ranked
    where match_rank = 1
)

select * from final
