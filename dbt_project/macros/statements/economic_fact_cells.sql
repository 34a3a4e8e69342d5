{#
    The rows of a fact by 经济分类 (fct_basic_expenditure_economic, fct_project_expenditure_economic):
    the leaf cells int_statement_cells_routed sends to `destination_fact`, with the 部门 code printed or
    mapped by name, and the 政府 code printed in a pair ("30201|50201") or mapped by name within its
    own system. The two facts differ only in their key's name and in what expenditure_type is called.
#}
{% macro economic_fact_cells(destination_fact, key_column, type_column='expenditure_type') %}
with

routed as (
    select * from {{ ref('int_statement_cells_routed') }}
    where destination_fact = '{{ destination_fact }}' and {{ incremental_documents() }}
),

economic_names as (
    select * from {{ ref('int_economic_code_names') }}
),

final as (
    select
        left(
            md5(concat_ws('|', routed.document_id, routed.table_ordinal, routed.row_ordinal, routed.column_ordinal)),
            16
        ) as {{ key_column }},
        routed.document_id,
        routed.department_key,
        routed.fiscal_year,
        routed.stage,
        coalesce(routed.economic_code, department_names.economic_code) as economic_code,
        case
            when routed.economic_code is not null then 'printed'
            when department_names.economic_code is not null then 'name:' || department_names.match_kind
        end as economic_code_source,
        coalesce(
            nullif(regexp_extract(routed.code_raw, '^3\d{2}(?:\d{2})?\|(5\d{2}(?:\d{2})?)$', 1), ''),
            government_names.economic_code
        ) as government_economic_code,
        case
            when regexp_matches(routed.code_raw, '^3\d{2}(?:\d{2})?\|5\d{2}(?:\d{2})?$') then 'printed'
            when government_names.economic_code is not null then 'name:' || government_names.match_kind
        end as government_economic_code_source,
        routed.expenditure_type as {{ type_column }},
        routed.fund_source_code,
        cast(routed.amount_yuan as decimal(18, 2)) as amount_yuan,
        routed.amount_printed,
        routed.unit as printed_unit,
        routed.raw_text,
        routed.statement_type,
        routed.table_ordinal,
        routed.table_title,
        routed.row_ordinal,
        routed.source_line,
        routed.page_number,
        coalesce(routed.economic_name_department, routed.row_name) as printed_department_item_name,
        routed.economic_name_government as printed_government_item_name,
        routed.column_path
    from routed
    left join economic_names as department_names
        on
            department_names.system = 'department'
            and regexp_replace(coalesce(routed.economic_name_department, routed.row_name), '\s+', '', 'g')
            = department_names.name_key
    left join economic_names as government_names
        on
            government_names.system = 'government'
            and regexp_replace(routed.economic_name_government, '\s+', '', 'g') = government_names.name_key
)

select * from final
{% endmacro %}
