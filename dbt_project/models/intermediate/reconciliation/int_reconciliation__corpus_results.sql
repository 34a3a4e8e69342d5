-- reconciliation_results of the checks that read corpus-wide models (the narrative against the
-- tables, completeness, 决算): a table, rebuilt each refresh.
{{ reconciliation_result_rows(
    'int_reconciliation__narrative_checks',
    'int_reconciliation__completeness_checks',
    'int_reconciliation__final_account_checks'
) }}
