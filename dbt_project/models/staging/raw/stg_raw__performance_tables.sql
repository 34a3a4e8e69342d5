-- Thin: rename/cast only. One row per logical performance-target table (grain: document ×
-- perf_ordinal); page-2 continuations merged. Holds personal contact data: never select it into
-- marts.
-- Personal contact fields (responsible_person, contact_person, contact_phone) stay in raw:
-- they are deliberately not selected here, so no model downstream can expose them.
with

source as (
    select * from {{ source('raw', 'performance_tables') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        family,
        template,
        title,
        first_line,
        last_line,
        continuation_lines,
        project_name,
        project_name_raw,
        department_code,
        department_name,
        implementing_unit,
        project_attribute,
        project_category,
        project_period,
        start_date,
        end_date,
        fill_date,
        fiscal_year
    from source
)

select * from final
