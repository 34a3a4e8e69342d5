-- One row per document: how many reconciliation checks ended in each status, and how many
-- failures are unacknowledged, by kind (integrity errors vs source discrepancies).
with

results as (
    select * from {{ ref('reconciliation_results') }}
),

documents as (
    select
        document_id,
        file_name
    from {{ ref('stg_raw__documents') }}
),

counts as (
    select
        document_id,
        count(*) as checks,
        count(*) filter (where status = 'exact') as exact,
        count(*) filter (where status = 'rounding') as rounding,
        count(*) filter (where status = 'fail') as fail,
        count(*) filter (where status = 'insufficient_data') as insufficient_data,
        count(*) filter (where status = 'fail' and is_acknowledged) as acknowledged_fail,
        count(*) filter (
            where status = 'fail' and not is_acknowledged and severity = 'error'
        ) as unacknowledged_error_fail,
        count(*) filter (
            where status = 'fail' and not is_acknowledged and severity = 'finding'
        ) as unacknowledged_finding_fail,
        count(*) filter (where status = 'fail' and severity = 'info') as informational_fail,
        count(distinct rule_id) as rules_applied
    from results
    group by all
),

final as (
    select
        documents.document_id,
        documents.file_name,
        coalesce(counts.checks, 0) as checks,
        coalesce(counts.rules_applied, 0) as rules_applied,
        coalesce(counts.exact, 0) as exact,
        coalesce(counts.rounding, 0) as rounding,
        coalesce(counts.fail, 0) as fail,
        coalesce(counts.insufficient_data, 0) as insufficient_data,
        coalesce(counts.acknowledged_fail, 0) as acknowledged_fail,
        coalesce(counts.unacknowledged_error_fail, 0) as unacknowledged_error_fail,
        coalesce(counts.unacknowledged_finding_fail, 0) as unacknowledged_finding_fail,
        coalesce(counts.informational_fail, 0) as informational_fail
    from documents
    left join counts
        on documents.document_id = counts.document_id
)

select * from final
