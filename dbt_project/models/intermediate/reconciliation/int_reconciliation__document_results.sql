-- reconciliation_results of the checks of one document's own tables and narrative (within a
-- table, the equations between its statements, its projects, its narrative against its
-- tables): incremental by document.
{{ reconciliation_result_rows(
    'int_reconciliation__within_table_checks',
    'int_reconciliation__equation_checks',
    'int_reconciliation__project_checks',
    'int_reconciliation__narrative_checks'
) }}
