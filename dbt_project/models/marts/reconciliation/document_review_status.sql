-- One row per document: whether its reconciliation needs a human. A document needs review when
-- it has an unacknowledged failure of an error-severity rule (most likely we misread it), or
-- when it could not be extracted at all. dim_document joins this on document_id.
with

documents as (
    select
        document_id,
        extraction_status
    from {{ ref('stg_raw__documents') }}
),

summary as (
    select * from {{ ref('reconciliation_summary') }}
),

final as (
    select
        documents.document_id,
        (
            documents.extraction_status <> 'loaded'
            or coalesce(summary.unacknowledged_error_fail, 0) > 0
        ) as needs_review,
        coalesce(summary.unacknowledged_error_fail, 0) as unacknowledged_error_count,
        coalesce(summary.unacknowledged_finding_fail, 0) as unacknowledged_finding_count,
        coalesce(summary.insufficient_data, 0) as insufficient_data_count
    from documents
    left join summary
        on documents.document_id = summary.document_id
)

select * from final
