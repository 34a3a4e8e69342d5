-- One row per conformed department / budget unit (grain: department_key), built from every mention:
-- canonical name, printed code, level, parent and how well the name is attested.
with

mentions as (
    select * from {{ ref('int_department_mentions') }}
),

suffixes as (
    select * from {{ ref('department_subunit_suffixes') }}
),

names as (
    select
        department_key,
        canonical_name,
        row_number() over (
            partition by department_key
            order by bool_or(is_statement_source) desc, count(*) desc, canonical_name
        ) as name_rank
    from mentions
    group by department_key, canonical_name
),

codes as (
    select
        department_key,
        printed_code,
        row_number() over (
            partition by department_key
            order by count(*) desc, printed_code
        ) as code_rank
    from mentions
    where printed_code is not null
    group by department_key, printed_code
),

-- The parent printed beside the unit: budget statements first, then performance tables.
parents as (
    select
        department_key,
        parent_department_key,
        row_number() over (
            partition by department_key
            order by bool_or(is_statement_source) desc, count(*) desc, parent_department_key
        ) as parent_rank
    from mentions
    where
        parent_department_key is not null
        and parent_department_key <> department_key
    group by department_key, parent_department_key
),

summary as (
    select
        department_key,
        min(region_code) as region_code,
        bool_or(role = 'department') as is_department,
        bool_or(is_statement_source) as is_in_statements,
        bool_or(alias_reason is not null) as is_alias_resolved,
        bool_or(mention_source = 'narrative_unit_list') as is_listed_unit,
        string_agg(distinct printed_name, ' | ' order by printed_name) as printed_names,
        count(distinct document_id) as document_count,
        count(*) as mention_count
    from mentions
    group by department_key
),

base as (
    select
        summary.department_key,
        names.canonical_name,
        codes.printed_code as department_code,
        summary.region_code,
        summary.is_department,
        summary.is_in_statements,
        summary.is_alias_resolved,
        summary.is_listed_unit,
        summary.printed_names,
        summary.document_count,
        summary.mention_count,
        parents.parent_department_key as printed_parent_department_key
    from summary
    inner join names
        on summary.department_key = names.department_key and names.name_rank = 1
    left join codes
        on summary.department_key = codes.department_key and codes.code_rank = 1
    left join parents
        on summary.department_key = parents.department_key and parents.parent_rank = 1
),

-- "阳泉市第二中学校高中部" is a sub-unit of "阳泉市第二中学校" when that unit exists in the same region.
sub_units as (
    select
        child.department_key,
        parent.department_key as parent_department_key,
        row_number() over (
            partition by child.department_key order by length(suffixes.suffix) desc
        ) as suffix_rank
    from base as child
    inner join suffixes
        on suffix(child.canonical_name, suffixes.suffix)
    inner join base as parent
        on
            parent.canonical_name = left(child.canonical_name, length(child.canonical_name) - length(suffixes.suffix))
            and parent.region_code is not distinct from child.region_code
),

final as (
    select
        base.department_key,
        base.canonical_name,
        base.department_code,
        case
            when base.is_department then 'department'
            when sub_units.department_key is not null then 'sub_unit'
            else 'unit'
        end as department_level,
        case
            when base.is_department then null
            else coalesce(sub_units.parent_department_key, base.printed_parent_department_key)
        end as parent_department_key,
        base.region_code,
        case
            when base.is_in_statements then 'statement'
            when base.is_alias_resolved then 'alias'
            when base.is_listed_unit then 'unit_list'
            else 'unattested'
        end as resolution_status,
        base.is_listed_unit,
        base.printed_names,
        base.document_count,
        base.mention_count
    from base
    left join sub_units
        on base.department_key = sub_units.department_key and sub_units.suffix_rank = 1
)

select * from final
