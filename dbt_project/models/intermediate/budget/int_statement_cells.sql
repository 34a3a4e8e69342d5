-- One row per amount cell of a budget statement (grain: document_id × table_ordinal × row_ordinal ×
-- column_ordinal), with its row and table context, the department it belongs to, the function code
-- (printed, or mapped from a 类 name for rows printed without a code; only on a one-sided table or the
-- 功能分类 expenditure side: an economic-classification side such as expenditure_economic names
-- 经济分类 classes, whose 其他支出 is no 功能分类 class), whether the row is a leaf and
-- the stage of the money (budget / adjusted_budget / final, int_statement_column_stages).
with

cells as (
    select * from {{ ref('stg_raw__statement_cells') }}
    where {{ incremental_documents() }}
),

statement_rows as (
    select * from {{ ref('stg_raw__statement_rows') }}
    where {{ incremental_documents() }}
),

statement_tables as (
    select * from {{ ref('stg_raw__statement_tables') }}
    where {{ incremental_documents() }}
),

documents as (
    select * from {{ ref('int_documents') }}
    where {{ incremental_documents() }}
),

mentions as (
    select * from {{ ref('int_department_mentions') }}
    where {{ incremental_documents() }}
),

function_names as (
    select * from {{ ref('int_function_code_names') }}
),

column_stages as (
    select * from {{ ref('int_statement_column_stages') }}
    where {{ incremental_documents() }}
),

-- A row is a leaf when it is a detail row that no other row of the same table names as its parent.
-- Rows whose only children are "其中：…" rows (of which: 一般公共预算拨款 over 其中：专项资金…) keep
-- their money: they are the leaf and their 其中 parts are not. Where 其中 opens a list beside
-- other children (其中：（一）因公出国 … 公务接待费), the children are an ordinary breakdown.
child_counts as (
    select
        document_id,
        table_ordinal,
        parent_row_ordinal as row_ordinal,
        count(*) as child_rows,
        count(*) filter (where not starts_with(name, '其中')) as breakdown_rows
    from statement_rows
    where parent_row_ordinal is not null
    group by all
),

detail_counts as (
    select
        document_id,
        table_ordinal,
        count(*) filter (where row_role = 'detail') as detail_rows
    from statement_rows
    group by all
),

issuers as (
    select
        document_id,
        department_key
    from mentions
    where mention_source = 'document_issuer'
),

table_departments as (
    select
        document_id,
        table_ordinal,
        department_key
    from mentions
    where mention_source = 'statement_table'
),

row_departments as (
    select
        document_id,
        table_ordinal,
        row_ordinal,
        department_key
    from mentions
    where mention_source in ('project_row', 'agency_operating_row', 'statement_unit_row')
),

rows_enriched as (
    select
        statement_rows.*,
        statement_tables.statement_type,
        statement_tables.title as table_title,
        statement_tables.label as table_label,
        coalesce(child_counts.child_rows, 0) as child_rows,
        coalesce(child_counts.breakdown_rows, 0) as breakdown_rows,
        coalesce(
            starts_with(statement_rows.name, '其中') and parent_counts.breakdown_rows = 0, false
        ) as is_part_row,
        coalesce(detail_counts.detail_rows, 0) as table_detail_rows,
        coalesce(row_departments.department_key, table_departments.department_key, issuers.department_key)
            as department_key,
        case
            when statement_rows.function_code is not null then statement_rows.function_code
            when (statement_rows.side is null or statement_rows.side = 'expenditure') then function_names.function_code
        end as resolved_function_code,
        case
            when statement_rows.function_code is not null then 'printed'
            when
                (statement_rows.side is null or statement_rows.side = 'expenditure')
                and function_names.function_code is not null
                then 'name:' || function_names.match_kind
        end as function_code_source
    from statement_rows
    inner join statement_tables
        on
            statement_rows.document_id = statement_tables.document_id
            and statement_rows.table_ordinal = statement_tables.table_ordinal
    left join child_counts
        on
            statement_rows.document_id = child_counts.document_id
            and statement_rows.table_ordinal = child_counts.table_ordinal
            and statement_rows.row_ordinal = child_counts.row_ordinal
    left join child_counts as parent_counts
        on
            statement_rows.document_id = parent_counts.document_id
            and statement_rows.table_ordinal = parent_counts.table_ordinal
            and statement_rows.parent_row_ordinal = parent_counts.row_ordinal
    left join detail_counts
        on
            statement_rows.document_id = detail_counts.document_id
            and statement_rows.table_ordinal = detail_counts.table_ordinal
    left join row_departments
        on
            statement_rows.document_id = row_departments.document_id
            and statement_rows.table_ordinal = row_departments.table_ordinal
            and statement_rows.row_ordinal = row_departments.row_ordinal
    left join table_departments
        on
            statement_rows.document_id = table_departments.document_id
            and statement_rows.table_ordinal = table_departments.table_ordinal
    left join issuers
        on statement_rows.document_id = issuers.document_id
    left join function_names
        on regexp_replace(statement_rows.name, '\s+', '', 'g') = function_names.name_key
),

final as (
    select
        cells.document_id,
        cells.file_name,
        documents.fiscal_year,
        cells.table_ordinal,
        rows_enriched.statement_type,
        rows_enriched.table_title,
        rows_enriched.table_label,
        cells.row_ordinal,
        cells.source_line,
        cells.page_number,
        rows_enriched.side,
        rows_enriched.label_raw,
        rows_enriched.name as row_name,
        rows_enriched.row_role,
        rows_enriched.level as row_level,
        rows_enriched.parent_row_ordinal,
        rows_enriched.code_raw,
        rows_enriched.resolved_function_code as function_code,
        rows_enriched.function_code_source,
        rows_enriched.economic_code,
        rows_enriched.economic_name_department,
        rows_enriched.economic_name_government,
        rows_enriched.unit_name,
        rows_enriched.project_name,
        rows_enriched.department_key,
        -- Leaves carry the money; total and subtotal rows are printed sums of them. A table that
        -- prints a single total row and no detail rows (e.g. a one-line 三公 table) has that row as leaf.
        (
            (
                rows_enriched.row_role in ('detail', 'subtotal') and rows_enriched.breakdown_rows = 0
                and not rows_enriched.is_part_row
            )
            or (rows_enriched.row_role = 'total' and rows_enriched.table_detail_rows = 0)
        ) as is_leaf_row,
        cells.column_ordinal,
        cells.column_path,
        cells.measure,
        column_stages.stage,
        column_stages.is_prior_year as is_prior_year_column,
        cells.raw_text,
        cells.amount_printed,
        cells.unit,
        cast(cells.amount_yuan as decimal(18, 2)) as amount_yuan,
        cells.is_blank,
        cells.is_dash
    from cells
    inner join rows_enriched
        on
            cells.document_id = rows_enriched.document_id
            and cells.table_ordinal = rows_enriched.table_ordinal
            and cells.row_ordinal = rows_enriched.row_ordinal
    inner join documents
        on cells.document_id = documents.document_id
    inner join column_stages
        on
            cells.document_id = column_stages.document_id
            and cells.table_ordinal = column_stages.table_ordinal
            and cells.column_path = column_stages.column_path
)

select * from final
