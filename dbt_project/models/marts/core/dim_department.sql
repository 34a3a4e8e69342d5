-- One row per budget unit, conformed across documents and years of a region (grain:
-- department_key): canonical name, printed code, level (department / unit / sub_unit), parent,
-- region, and how the name was resolved (printed in a budget statement, through the alias seed,
-- named only in the narrative's list of budget units, or only in performance tables = unattested,
-- also listed in unresolved_names).
with

departments as (
    select * from {{ ref('int_departments') }}
),

regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        departments.department_key,
        departments.canonical_name as department_name,
        departments.department_code,
        departments.department_level,
        departments.parent_department_key,
        departments.region_code,
        regions.name as region_name,
        departments.resolution_status,
        departments.is_listed_unit,
        departments.printed_names,
        departments.document_count,
        departments.mention_count
    from departments
    left join regions
        on departments.region_code = regions.region_code
)

select * from final
