-- An acknowledgement must point at a failure that exists: a row of
-- seeds/acknowledged_discrepancies.csv whose check now passes (or no longer exists, e.g. after
-- an extractor fix or for an edited file with a new document_id) is stale and must be removed.
-- Only documents present in the warehouse are checked. Warn: an extractor change that makes a
-- real discrepancy disappear should be looked at, not block everyone's build.
{{ config(severity = 'warn') }}

with

acknowledged as (
    select
        document_id,
        rule_id,
        coalesce(instance, '') as instance
    from {{ ref('acknowledged_discrepancies') }}
),

documents as (
    select document_id from {{ ref('stg_raw__documents') }}
),

failures as (
    select
        document_id,
        rule_id,
        instance
    from {{ ref('reconciliation_results') }}
    where status = 'fail'
),

final as (
    select acknowledged.*
    from acknowledged
    inner join documents
        on acknowledged.document_id = documents.document_id
    left join failures
        on
            acknowledged.document_id = failures.document_id
            and acknowledged.rule_id = failures.rule_id
            and acknowledged.instance = failures.instance
    where failures.rule_id is null
)

select * from final
