-- Thin: rename/cast only. One row per performance table (and per project row without a table): the
-- link to the project budget row (grain: document × perf_ordinal × table_ordinal × row_ordinal).
with

source as (
    select * from {{ source('raw', 'project_matches') }}
),

final as (
    select
        document_id,
        file_name,
        perf_ordinal,
        table_ordinal,
        row_ordinal,
        method,
        confidence,
        reason
    from source
)

select * from final
