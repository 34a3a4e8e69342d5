-- corpus_quality is one row, and its counts nest: clean ⊆ loaded ⊆ documents, passing ⊆ checks.
with

quality as (
    select * from {{ ref('corpus_quality') }}
),

row_count as (
    select count(*) as n from quality
),

violations as (
    select 'not exactly one row' as problem
    from row_count
    where n <> 1
    union all
    select 'counts do not nest' as problem
    from quality
    where
        documents_clean > documents_loaded
        or documents_loaded + documents_failed <> documents
        or integrity_checks_passing > integrity_checks
)

select * from violations
