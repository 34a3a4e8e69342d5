-- One row per 决算 execution statement of the narrative (grain: document_id × statement_ordinal) with
-- its subject resolved: function_code (the row of the document's 一般公共预算财政拨款支出决算表 with
-- the passage's 项 name under its 款 name, or its 款 / 类; a name of an older scheme through
-- function_code_crosswalk; null when the passage is about the whole table), item_code (三公 and its
-- items, through expense_item_aliases) and subject_kind: function_code | appropriation_total |
-- three_public | unresolved.
with

statements as (
    select * from {{ ref('stg_raw__execution_statements') }}
),

cells as (
    select * from {{ ref('int_statement_cells') }}
),

crosswalk as (
    select * from {{ ref('function_code_crosswalk') }}
),

item_names as (
    select
        {{ reconciliation_name_key('printed_name') }} as name_key,
        item_code
    from {{ ref('expense_item_aliases') }}
),

function_rows as (
    select distinct
        cells.document_id,
        cells.function_code,
        {{ reconciliation_name_key('cells.row_name') }} as name_key,
        {{ reconciliation_name_key('parents.row_name') }} as parent_key
    from cells
    left join cells as parents
        on
            cells.document_id = parents.document_id
            and cells.table_ordinal = parents.table_ordinal
            and cells.parent_row_ordinal = parents.row_ordinal
    where cells.statement_type = 'gpb_expenditure_function' and cells.function_code is not null
),

named as (
    select
        statements.*,
        {{ reconciliation_name_key('coalesce(item_cw.to_name, statements.item_name)') }} as item_key,
        {{ reconciliation_name_key('coalesce(subitem_cw.to_name, statements.subitem_name)') }}
            as subitem_key,
        {{ reconciliation_name_key("regexp_replace(statements.class_name, '支出$', '') || '支出'") }}
            as class_key
    from statements
    left join crosswalk as item_cw
        on statements.item_name = item_cw.from_name
    left join crosswalk as subitem_cw
        on statements.subitem_name = subitem_cw.from_name
),

function_matches as (
    select
        named.document_id,
        named.statement_ordinal,
        min(function_rows.function_code) as function_code
    from named
    inner join function_rows
        on
            named.document_id = function_rows.document_id
            and (
                (
                    named.subitem_name is not null
                    and named.subitem_key = function_rows.name_key
                    and named.item_key = function_rows.parent_key
                )
                or (
                    named.subitem_name is null and named.item_name is not null
                    and named.item_key = function_rows.name_key
                    and length(function_rows.function_code) = 5
                )
                or (
                    named.item_name is null and named.class_name is not null
                    and named.class_key = function_rows.name_key
                    and length(function_rows.function_code) = 3
                )
            )
    group by all
),

item_matches as (
    select
        named.document_id,
        named.statement_ordinal,
        case
            when contains(named.subject, '三公') then 'three_public_total'
            else min(item_names.item_code)  -- a name two codes answer to: the first, not any
        end as item_code
    from named
    left join item_names
        on
            {{ reconciliation_name_key("regexp_replace(named.subject, '(支出)?(决算)?$', '')") }}
            = item_names.name_key
    where named.class_name is null
    group by named.document_id, named.statement_ordinal, named.subject
),

final as (
    select
        named.*,
        function_matches.function_code,
        item_matches.item_code,
        case
            when function_matches.function_code is not null then 'function_code'
            when item_matches.item_code is not null then 'three_public'
            when
                named.class_name is null and contains(named.subject, '财政拨款支出')
                then 'appropriation_total'
            else 'unresolved'
        end as subject_kind
    from named
    left join function_matches
        on
            named.document_id = function_matches.document_id
            and named.statement_ordinal = function_matches.statement_ordinal
    left join item_matches
        on
            named.document_id = item_matches.document_id
            and named.statement_ordinal = item_matches.statement_ordinal
)

select * from final
