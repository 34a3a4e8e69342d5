-- Thin: rename/cast only. One row per 决算 execution statement of the narrative
-- (grain: document × statement_ordinal).
with

source as (
    select * from {{ source('raw', 'execution_statements') }}
),

final as (
    select
        document_id,
        file_name,
        statement_ordinal,
        source_line,
        section,
        subject,
        class_name,
        item_name,
        subitem_name,
        sentence,
        budget_basis,
        budget_value,
        budget_unit,
        cast(budget_yuan as decimal(18, 2)) as budget_yuan,
        final_value,
        final_unit,
        cast(final_yuan as decimal(18, 2)) as final_yuan,
        rate_basis,
        rate_value,
        direction_word,
        direction,
        direction_text
    from source
)

select * from final
