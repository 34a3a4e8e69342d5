-- One row per statement column (grain: document_id × table_ordinal × column_path): the stage of its
-- money, budget (年初预算 / 预算), adjusted_budget (调整预算) or final (决算). The header wording decides
-- (statement_stages seed, first pattern by priority); a column whose header names no stage has the
-- stage of its table: final when the title or the document says 决算, else budget.
-- A column whose header names a year before the document's fiscal year ("2025年预算数" beside
-- "2026年预算数" in a 2026 budget's 三公 table) is the prior year's comparison figure: is_prior_year.
with

cells as (
    select * from {{ ref('stg_raw__statement_cells') }}
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

stages as (
    select * from {{ ref('statement_stages') }}
),

table_columns as (
    select distinct
        cells.document_id,
        cells.table_ordinal,
        cells.column_path,
        case
            when contains(statement_tables.title, '决算') or documents.document_kind = '决算' then 'final'
            else 'budget'
        end as table_stage,
        documents.fiscal_year,
        try_cast(nullif(regexp_extract(cells.column_path, '(^|/ )((19|20)\d{2})年', 2), '') as integer)
            as header_year
    from cells
    inner join statement_tables
        on
            cells.document_id = statement_tables.document_id
            and cells.table_ordinal = statement_tables.table_ordinal
    inner join documents
        on cells.document_id = documents.document_id
),

header_stages as (
    select
        table_columns.document_id,
        table_columns.table_ordinal,
        table_columns.column_path,
        -- patterns of one priority that match one header: the stage first by name, not any
        arg_min(stages.stage, (stages.priority, stages.stage)) as header_stage
    from table_columns
    inner join stages
        on regexp_matches(table_columns.column_path, stages.pattern)
    group by all
),

final as (
    select
        table_columns.document_id,
        table_columns.table_ordinal,
        table_columns.column_path,
        table_columns.table_stage,
        header_stages.header_stage,
        coalesce(header_stages.header_stage, table_columns.table_stage) as stage,  -- public column name -- noqa: RF04
        table_columns.header_year,
        coalesce(table_columns.header_year < table_columns.fiscal_year, false) as is_prior_year
    from table_columns
    left join header_stages
        on
            table_columns.document_id = header_stages.document_id
            and table_columns.table_ordinal = header_stages.table_ordinal
            and table_columns.column_path = header_stages.column_path
)

select * from final
