-- Source discrepancies (the document contradicts itself across statements, tables or
-- narrative) are findings for users, not build errors: this test warns on each one that is not
-- yet acknowledged with its reason in seeds/acknowledged_discrepancies.csv.
{{ config(severity = 'warn') }}

with

results as (
    select * from {{ ref('reconciliation_results') }}
),

final as (
    select
        document_id,
        file_name,
        rule_id,
        instance,
        difference_yuan,
        expected_source,
        actual_source
    from results
    where
        status = 'fail'
        and severity = 'finding'
        and not is_acknowledged
)

select * from final
