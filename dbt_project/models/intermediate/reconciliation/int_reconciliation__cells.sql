-- One row per amount cell of a statement table, with its row's position in the table hierarchy:
-- the input of every within-table and cross-statement reconciliation rule.
-- Blank and "-" cells are 0 (the documents print nothing for zero) but flagged, so that a check
-- whose every input is blank can be skipped; a non-blank cell that did not parse is unreadable.
with

tables as (
    select * from {{ ref('stg_raw__statement_tables') }}
    where {{ incremental_documents() }}
),

statement_rows as (
    select * from {{ ref('stg_raw__statement_rows') }}
    where {{ incremental_documents() }}
),

cells as (
    select * from {{ ref('stg_raw__statement_cells') }}
    where {{ incremental_documents() }}
),

column_stages as (
    select * from {{ ref('int_statement_column_stages') }}
    where {{ incremental_documents() }}
),

-- A column whose header path is a strict prefix of another's is a spanning parent header
-- ("财政拨款" over "财政拨款 / 一般公共预算"): its value is the sum of its sub-columns, so the
-- row-total rules must not add it to them.
column_paths as (
    select distinct
        document_id,
        table_ordinal,
        column_path
    from cells
),

parent_columns as (
    select distinct
        parent.document_id,
        parent.table_ordinal,
        parent.column_path
    from column_paths as parent
    inner join column_paths as child
        on
            parent.document_id = child.document_id
            and parent.table_ordinal = child.table_ordinal
            and starts_with(child.column_path, parent.column_path || ' / ')
),

joined as (
    select
        cells.document_id,
        cells.table_ordinal,
        tables.statement_type,
        tables.title as table_title,
        tables.label as table_label,
        coalesce(statement_rows.side, '-') as side,
        cells.row_ordinal,
        cells.source_line,
        statement_rows.row_role,
        statement_rows.level,
        statement_rows.parent_row_ordinal,
        statement_rows.name as row_name,
        statement_rows.label_raw,
        statement_rows.function_code,
        statement_rows.economic_code,
        statement_rows.economic_name_department,
        statement_rows.economic_name_government,
        statement_rows.unit_name,
        statement_rows.project_name,
        cells.column_ordinal,
        cells.column_path,
        -- A column of another stage than its table (预算数 beside 决算数 in a 决算's 三公 table;
        -- 年初预算数 / 调整预算数 beside 决算数) is a measure of its own: "total@budget"; so is a
        -- prior year's column beside the document's year ("2025年预算数" in a 2026 budget):
        -- "total@prior_year".
        -- A fund's share of a carry-over column group ("上年结转结余 / 一般公共预算资金") is a
        -- measure of its own too: "general_public_budget@carryover".
        case
            when column_stages.is_prior_year then cells.measure || '@prior_year'
            when {{ carryover_breakdown('cells.column_path', 'cells.measure') }}
                then cells.measure || '@carryover'
            when column_stages.stage = column_stages.table_stage then cells.measure
            else cells.measure || '@' || column_stages.stage
        end as measure,
        column_stages.stage,
        cells.raw_text,
        cells.unit,
        coalesce(cells.amount_yuan, 0) as amount_yuan,
        cells.amount_yuan is null as is_blank,
        (
            cells.amount_yuan is null
            and not cells.is_blank
            and not coalesce(cells.is_dash, false)
            and trim(coalesce(cells.raw_text, '')) <> ''
        ) as is_unreadable,
        parent_columns.column_path is not null as is_parent_column
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_ordinal = tables.table_ordinal
    inner join statement_rows
        on
            cells.document_id = statement_rows.document_id
            and cells.table_ordinal = statement_rows.table_ordinal
            and cells.row_ordinal = statement_rows.row_ordinal
    inner join column_stages
        on
            cells.document_id = column_stages.document_id
            and cells.table_ordinal = column_stages.table_ordinal
            and cells.column_path = column_stages.column_path
    left join parent_columns
        on
            cells.document_id = parent_columns.document_id
            and cells.table_ordinal = parent_columns.table_ordinal
            and cells.column_path = parent_columns.column_path
),

-- The printed precision of a table: the most decimals any of its figures prints (万元 to 0.01, to
-- 0.0001 or, in Beijing's tables, to 0.000001; 元 as integers or to 0.01 / 0.001). A sum of n
-- figures each rounded to that precision may differ from its printed total by n half-units.
table_precision as (
    select
        document_id,
        table_ordinal,
        max(length(regexp_extract(raw_text, '\.(\d+)\s*$', 1))) as printed_decimals
    from joined
    where not is_blank
    group by all
),

-- The measure of a physical column: extractors may give one cell a more specific measure than
-- its column (001 T1 prints 上年结转 in the income 金额 column; its cell says carryover).
-- Identities are about columns, so rules use column_measure, the column's prevailing measure:
-- the measure most of its cells have; on a tie, the one its first row has (then the name), so
-- that the pick never depends on the order rows are read in (mode() picks any of the tied).
measure_counts as (
    select
        document_id,
        table_ordinal,
        side,
        column_ordinal,
        measure,
        count(*) as cell_count,
        min(row_ordinal) as first_row_ordinal
    from joined
    group by all
),

column_measures as (
    select
        document_id,
        table_ordinal,
        side,
        column_ordinal,
        measure as column_measure
    from measure_counts
    qualify row_number() over (
        partition by document_id, table_ordinal, side, column_ordinal
        order by cell_count desc, first_row_ordinal asc, measure asc
    ) = 1
),

final as (
    select
        joined.* exclude (measure),
        joined.measure as cell_measure,
        column_measures.column_measure as measure,
        -- half a unit of the printed precision in yuan (never under half a fen: amounts are held
        -- to the fen); a table without a figure falls back to the unit's usual two decimals
        case
            when table_precision.printed_decimals is null
                then {{ reconciliation_half_unit_yuan('joined.unit') }}
            else cast(greatest(
                0.5 * {{ reconciliation_decimal_step('table_precision.printed_decimals') }}
                * coalesce({{ reconciliation_unit_factor('joined.unit') }}, 0),
                0.005
            ) as decimal(18, 3))
        end as half_unit_yuan,
        -- How a figure is cited in results and in the auditor's report.
        coalesce(joined.table_label || ' ', '')
        || joined.table_title
        || ' line ' || joined.source_line::varchar
        || ' [' || coalesce(nullif(trim(joined.label_raw), ''), joined.row_name, '') || ' / '
        || coalesce(joined.column_path, joined.measure) || ']'
        || ' = ' || coalesce(nullif(joined.raw_text, ''), 'blank') as citation
    from joined
    inner join column_measures
        on
            joined.document_id = column_measures.document_id
            and joined.table_ordinal = column_measures.table_ordinal
            and joined.side = column_measures.side
            and joined.column_ordinal = column_measures.column_ordinal
    left join table_precision
        on
            joined.document_id = table_precision.document_id
            and joined.table_ordinal = table_precision.table_ordinal
)

select * from final
