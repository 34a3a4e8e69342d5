-- The generic tests of tests/generic/ tested on fixtures: each must return no rows on a good
-- fixture and rows on a bad one. This test fails (returns a row naming the case) when a generic
-- test misses a violation or flags a good fixture.
{% set good_keys %}
    (select * from (values ('a', 'r1', ''), ('a', 'r1', 'x'), ('b', 'r1', '')) as t(d, r, i))
{% endset %}
{% set bad_keys %}
    (select * from (values ('a', 'r1', ''), ('a', 'r1', '')) as t(d, r, i))
{% endset %}
{% set good_status %}
    (select * from (values
        ('exact', 0.00, 0.000),
        ('rounding', 100.00, 150.000),
        ('rounding', -0.01, 0.010),
        ('fail', 0.40, 0.010),
        ('insufficient_data', null, 0.000)
    ) as t(status, difference_yuan, tolerance_yuan))
{% endset %}
{% set bad_status %}
    (select * from (values
        ('exact', 0.01, 0.010),
        ('rounding', 0.40, 0.010),
        ('fail', 100.00, 150.000),
        ('rounding', 0.00, 0.010)
    ) as t(status, difference_yuan, tolerance_yuan))
{% endset %}

with

cases as (
    select
        'unique_combination flags a good fixture' as failure,
        count(*) > 0 as failed
    from ({{ test_unique_combination(good_keys, ['d', 'r', 'i']) }})
    union all
    select
        'unique_combination misses a duplicated key' as failure,
        count(*) = 0 as failed
    from ({{ test_unique_combination(bad_keys, ['d', 'r', 'i']) }})
    union all
    select
        'reconciliation_status_consistent flags a good fixture' as failure,
        count(*) > 0 as failed
    from ({{ test_reconciliation_status_consistent(good_status) }})
    union all
    select
        'reconciliation_status_consistent misses an inconsistent row' as failure,
        count(*) <> 4 as failed
    from ({{ test_reconciliation_status_consistent(bad_status) }})
),

final as (
    select failure
    from cases
    where failed
)

select * from final
