-- One row per project row of a 项目支出预算表 (grain: document_id × table_ordinal × row_ordinal) with its
-- project_key = hash(document, unit, project name, occurrence). Names repeat across units (遗属补助), so
-- the unit is part of the key; the same name in the 本年 and the 上年结转 table of one unit is one project.
with

cells as (
    select * from {{ ref('int_statement_cells') }}
    where {{ incremental_documents() }}
),

project_rows as (
    select distinct
        document_id,
        table_ordinal,
        row_ordinal,
        statement_type,
        source_line,
        project_name,
        unit_name,
        department_key
    from cells
    where
        statement_type in ('project_expenditure', 'project_expenditure_carryover')
        and project_name is not null
        and is_leaf_row
),

numbered as (
    select
        *,
        row_number() over (
            partition by document_id, statement_type, department_key, project_name
            order by table_ordinal, row_ordinal
        ) as occurrence
    from project_rows
),

final as (
    select
        left(
            md5(concat_ws('|', document_id, coalesce(department_key, '-'), project_name, occurrence)), 16
        ) as project_key,
        document_id,
        table_ordinal,
        row_ordinal,
        statement_type,
        source_line,
        project_name,
        unit_name,
        department_key
    from numbered
)

select * from final
