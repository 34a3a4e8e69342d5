{#-
    Composite-key uniqueness: fails with one row per combination of `combination_of_columns` that
    occurs more than once. Shared by the marts (dimensions and facts) and reconciliation models.

        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [document_id, table_ordinal, row_ordinal]

    Null values take part in the comparison like any other value (two rows with the same nulls are
    duplicates), which is what a grain statement means.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (
    select
        {% for column in combination_of_columns %}
        {{ column }},
        {% endfor %}
        count(*) as occurrences
    from {{ model }}
    group by all
    having count(*) > 1
)

select * from grouped

{% endtest %}
