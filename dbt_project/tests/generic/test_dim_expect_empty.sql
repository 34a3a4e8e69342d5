{#-
    Fails (or warns, with severity: warn) with every row of the model: for report models that list
    problems, such as marts.unresolved_names, so that `dbt build` prints how many there are.

        data_tests:
          - expect_empty:
              config:
                severity: warn

    Tested by tests/singular/assert_generic_tests_detect_violations.sql.
-#}
{% test expect_empty(model) %}

select * from {{ model }}

{% endtest %}
