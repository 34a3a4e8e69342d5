-- One row per logical performance-target table (grain: document_id × perf_ordinal) with the project it
-- belongs to (project_target tables) and the department it is about. Personal contact data never
-- reaches this model (staging drops it).
with

performance_tables as (
    select * from {{ ref('stg_raw__performance_tables') }}
    where {{ incremental_documents() }}
),

matches as (
    select * from {{ ref('stg_raw__project_matches') }}
    where {{ incremental_documents() }}
),

mentions as (
    select * from {{ ref('int_department_mentions') }}
    where {{ incremental_documents() }}
),

project_rows as (
    select * from {{ ref('int_project_rows') }}
    where {{ incremental_documents() }}
),

departments as (
    select
        performance_tables.document_id,
        performance_tables.perf_ordinal,
        unit_mentions.department_key as implementing_department_key,
        department_mentions.department_key as competent_department_key,
        issuer_mentions.department_key as issuer_department_key
    from performance_tables
    left join mentions as unit_mentions
        on
            performance_tables.document_id = unit_mentions.document_id
            and performance_tables.perf_ordinal = unit_mentions.perf_ordinal
            and unit_mentions.mention_source = 'performance_implementing_unit'
    left join mentions as department_mentions
        on
            performance_tables.document_id = department_mentions.document_id
            and performance_tables.perf_ordinal = department_mentions.perf_ordinal
            and department_mentions.mention_source = 'performance_department'
    left join mentions as issuer_mentions
        on
            performance_tables.document_id = issuer_mentions.document_id
            and issuer_mentions.mention_source = 'document_issuer'
),

final as (
    select
        performance_tables.document_id,
        performance_tables.perf_ordinal,
        performance_tables.family,
        performance_tables.template,
        performance_tables.title,
        performance_tables.first_line,
        performance_tables.last_line,
        performance_tables.project_name,
        performance_tables.project_name_raw,
        performance_tables.department_code as competent_department_code,
        performance_tables.implementing_unit as printed_implementing_unit,
        performance_tables.project_attribute,
        performance_tables.project_category,
        performance_tables.project_period,
        performance_tables.start_date,
        performance_tables.end_date,
        performance_tables.fill_date,
        performance_tables.fiscal_year,
        departments.competent_department_key,
        -- The unit the table is about: the matched budget row's unit, else the 实施单位, else the
        -- 主管部门 / 部门名称, else the document's issuer.
        coalesce(
            project_rows.department_key,
            departments.implementing_department_key,
            departments.competent_department_key,
            departments.issuer_department_key
        ) as department_key,
        case
            when performance_tables.family = 'project_target'
                then coalesce(
                    project_rows.project_key,
                    left(
                        md5(
                            concat_ws(
                                '|', performance_tables.document_id,
                                coalesce(
                                    departments.implementing_department_key,
                                    departments.competent_department_key,
                                    departments.issuer_department_key,
                                    '-'
                                ),
                                performance_tables.project_name, 'performance_table'
                            )
                        ),
                        16
                    )
                )
        end as project_key,
        matches.method as match_method,
        matches.confidence as match_confidence,
        matches.reason as match_reason,
        matches.table_ordinal as matched_table_ordinal,
        matches.row_ordinal as matched_row_ordinal
    from performance_tables
    left join departments
        on
            performance_tables.document_id = departments.document_id
            and performance_tables.perf_ordinal = departments.perf_ordinal
    left join matches
        on
            performance_tables.document_id = matches.document_id
            and performance_tables.perf_ordinal = matches.perf_ordinal
    left join project_rows
        on
            matches.document_id = project_rows.document_id
            and matches.table_ordinal = project_rows.table_ordinal
            and matches.row_ordinal = project_rows.row_ordinal
)

select * from final
