{#-
    Fails with every row where not exactly one of `columns` is non-null. Used to prove that every
    statement cell has exactly one disposition: the fact it feeds, or the reason it feeds none.

        data_tests:
          - exactly_one_not_null:
              arguments:
                columns: [destination_fact, exclusion_reason]

    Tested by tests/singular/assert_generic_tests_detect_violations.sql.
-#}
{% test exactly_one_not_null(model, columns) %}

with

checked as (
    select
        *,
        {% for column in columns %}
        (case when {{ column }} is not null then 1 else 0 end)
        {%- if not loop.last %} + {% endif %}
        {% endfor %}
        as non_null_count
    from {{ model }}
)

select * from checked
where non_null_count <> 1

{% endtest %}
