-- One row for the whole warehouse (grain: the build): how much of the corpus was read cleanly,
-- measured by the documents' own arithmetic. Anyone can run the warehouse on their own folder of
-- PDFs and read here how many documents loaded, how many have no unacknowledged integrity failure
-- (a printed total our reading does not reproduce), and how many integrity checks pass.
with

documents as (
    select
        document_id,
        extraction_status
    from {{ ref('stg_raw__documents') }}
),

statement_documents as (
    select distinct document_id
    from {{ ref('stg_raw__statement_cells') }}
    where amount_yuan is not null
),

summary as (
    select * from {{ ref('reconciliation_summary') }}
),

results as (
    select
        status,
        failure_class,
        is_acknowledged
    from {{ ref('reconciliation_results') }}
),

document_counts as (
    select
        count(*) as documents,
        count(*) filter (where documents.extraction_status = 'loaded') as documents_loaded,
        count(*) filter (where documents.extraction_status <> 'loaded') as documents_failed,
        count(statement_documents.document_id) as documents_with_statement_figures,
        count(*) filter (
            where
            documents.extraction_status = 'loaded'
            and coalesce(summary.unacknowledged_error_fail, 0) = 0
        ) as documents_clean
    from documents
    left join statement_documents
        on documents.document_id = statement_documents.document_id
    left join summary
        on documents.document_id = summary.document_id
),

check_counts as (
    select
        count(*) filter (
            where failure_class = 'integrity' and status in ('exact', 'rounding', 'fail')
        ) as integrity_checks,
        count(*) filter (
            where failure_class = 'integrity' and status in ('exact', 'rounding')
        ) as integrity_checks_passing,
        count(*) filter (
            where failure_class = 'integrity' and status = 'fail' and not is_acknowledged
        ) as integrity_failures_unacknowledged,
        count(*) filter (
            where failure_class = 'source_discrepancy' and status = 'fail'
        ) as source_discrepancies
    from results
),

final as (
    select
        document_counts.documents,
        document_counts.documents_loaded,
        document_counts.documents_failed,
        document_counts.documents_with_statement_figures,
        document_counts.documents_clean,
        round(100.0 * document_counts.documents_clean / nullif(document_counts.documents_loaded, 0), 1)
            as documents_clean_pct,
        check_counts.integrity_checks,
        check_counts.integrity_checks_passing,
        round(100.0 * check_counts.integrity_checks_passing / nullif(check_counts.integrity_checks, 0), 1)
            as integrity_checks_passing_pct,
        check_counts.integrity_failures_unacknowledged,
        check_counts.source_discrepancies
    from document_counts
    cross join check_counts
)

select * from final
