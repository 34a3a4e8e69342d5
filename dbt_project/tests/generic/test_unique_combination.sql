{#-
    unique_combination: no two rows of the model share the same values of `columns`.

    The composite-key test (there is no dbt_utils here). Fails with one row per duplicated key,
    with the number of rows sharing it.

        data_tests:
          - unique_combination:
              arguments:
                columns: ["document_id", "rule_id", "instance"]

    Tested by tests/singular/assert_generic_tests_detect_violations.sql.
-#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
