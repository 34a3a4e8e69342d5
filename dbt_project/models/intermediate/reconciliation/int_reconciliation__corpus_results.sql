-- reconciliation_results of the checks that read corpus-wide models (the units the narrative
-- lists, completeness, 决算): a table, rebuilt each refresh.
{{ reconciliation_result_rows(
    'int_reconciliation__unit_list_checks',
    'int_reconciliation__completeness_checks',
    'int_reconciliation__final_account_checks'
) }}
