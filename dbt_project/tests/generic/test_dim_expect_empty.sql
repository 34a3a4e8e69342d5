{#-
    Fails (or warns, with severity: warn) with every row of the model: for report models that list
    problems, such as marts.unresolved_names, so that `dbt build` prints how many there are.

        data_tests:
          - expect_empty:
              config:
                severity: warn
-#}
{% test expect_empty(model) %}

select * from {{ model }}

{% endtest %}
