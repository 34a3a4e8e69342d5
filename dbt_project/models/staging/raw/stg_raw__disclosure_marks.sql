-- Thin: rename/cast only. One row per disclosure-hygiene mark (grain: document × mark_ordinal).
with

source as (
    select * from {{ source('raw', 'disclosure_marks') }}
),

final as (
    select
        document_id,
        file_name,
        mark_ordinal,
        source_line,
        kind,
        text,
        year,
        month,
        day,
        line_text
    from source
)

select * from final
