{#-
    reconciliation_status_consistent: every row's status agrees with its own figures.

    exact             <=> difference = 0 and nothing missing
    rounding          <=> 0 < |difference| <= tolerance
    fail              <=> |difference| > tolerance
    insufficient_data <=> expected or actual unknown, or an input flagged missing
    (for insufficient_data the difference is not checked). Guards the status macro and any
    later hand edit of results. Fails with the inconsistent rows.

        data_tests:
          - reconciliation_status_consistent

    Tested by tests/singular/assert_generic_tests_detect_violations.sql.
-#}
{% test reconciliation_status_consistent(model,
        status='status', difference='difference_yuan', tolerance='tolerance_yuan') %}
    select *
    from {{ model }}
    where not (
        ({{ status }} = 'exact' and {{ difference }} = 0)
        or ({{ status }} = 'rounding' and {{ difference }} <> 0
            and abs({{ difference }}) <= {{ tolerance }})
        or ({{ status }} = 'fail' and abs({{ difference }}) > {{ tolerance }})
        or {{ status }} = 'insufficient_data'
    )
    or {{ status }} is null
{% endtest %}
