-- One row per document (grain: document_id): whether it needs a human, and why in short.
-- needs_review is defined here once: the document has a review reason of severity error
-- (marts.document_review_reasons). The Dagster check document_reconciles, the run summary and
-- the report read this column; none recomputes it.
--
-- Layering: dim_document (marts/core) is built from the documents alone and is never held
-- back by a document's data; this model joins the quality marts to it, after.
with

documents as (
    select
        document_id,
        file_name,
        extraction_status,
        is_current
    from {{ ref('dim_document') }}
),

reasons as (
    select * from {{ ref('document_review_reasons') }}
),

summary as (
    select * from {{ ref('reconciliation_summary') }}
),

by_document as (
    select
        document_id,
        count(*) filter (where severity = 'error') as review_reason_count,
        count(*) filter (where severity = 'finding') as finding_count,
        list_sort(list_distinct(list(reason_code) filter (where severity = 'error')))
            as reason_codes
    from reasons
    group by all
),

final as (
    select
        documents.document_id,
        documents.file_name,
        documents.is_current,
        documents.extraction_status,
        coalesce(by_document.review_reason_count, 0) > 0 as needs_review,
        coalesce(by_document.review_reason_count, 0) as review_reason_count,
        coalesce(by_document.reason_codes, []::varchar[]) as reason_codes,
        coalesce(summary.unacknowledged_error_fail, 0) as unacknowledged_error_count,
        coalesce(summary.unacknowledged_finding_fail, 0) as unacknowledged_finding_count,
        coalesce(summary.insufficient_data, 0) as insufficient_data_count
    from documents
    left join by_document
        on documents.document_id = by_document.document_id
    left join summary
        on documents.document_id = summary.document_id
)

select * from final
