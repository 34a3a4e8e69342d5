-- Thin: rename/cast only. One row per 项目构成分解 detail row (grain: document × perf_ordinal × detail_ordinal).
with

source as (
    select * from {{ source('raw', 'project_details') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        detail_ordinal,
        source_line,
        item_name,
        item_content,
        item_detail,
        amount_yuan,
        unit_price_yuan,
        unit_price_basis,
        quantity,
        quantity_basis,
        remark,
        is_total,
        raw_text
    from source
)

select * from final
