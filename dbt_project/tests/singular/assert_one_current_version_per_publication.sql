-- Exactly one document of each publication (issuing body × fiscal year × kind × scope) is
-- current (marts.dim_document.is_current), so that summing over current documents never
-- counts a publication twice nor drops one. Returns the publications that break this.
with

versions as (
    select * from {{ ref('int_document_versions') }}
),

final as (
    select
        publication_key,
        count(*) filter (where is_current) as current_versions
    from versions
    group by publication_key
    having count(*) filter (where is_current) <> 1
)

select * from final
