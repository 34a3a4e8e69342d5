-- The generic tests of tests/generic/ tested on fixtures: each must return no rows on a good
-- fixture and rows on a bad one. This test fails (returns a row naming the case) when a generic
-- test misses a violation or flags a good fixture.
{% set good_keys %}
    (select * from (values ('a', 'r1', ''), ('a', 'r1', 'x'), ('b', 'r1', '')) as t(d, r, i))
{% endset %}
{% set bad_keys %}
    (select * from (values ('a', 'r1', ''), ('a', 'r1', '')) as t(d, r, i))
{% endset %}
{% set good_dispositions %}
    (select * from (values (1, null), (null, 'x')) as t(destination, reason))
{% endset %}
{% set bad_dispositions %}
    (select * from (values (1, 'x'), (null, null), (2, null)) as t(destination, reason))
{% endset %}
{% set empty_report %}
    (select * from (values ('a')) as t(name) where false)
{% endset %}
{% set report_with_rows %}
    (select * from (values ('a'), ('b')) as t(name))
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
    union all
    select
        'exactly_one_not_null flags a good fixture' as failure,
        count(*) > 0 as failed
    from ({{ test_exactly_one_not_null(good_dispositions, ['destination', 'reason']) }})
    union all
    select
        'exactly_one_not_null misses a row with both or neither' as failure,
        count(*) <> 2 as failed
    from ({{ test_exactly_one_not_null(bad_dispositions, ['destination', 'reason']) }})
    union all
    select
        'expect_empty flags an empty model' as failure,
        count(*) > 0 as failed
    from ({{ test_expect_empty(empty_report) }})
    union all
    select
        'expect_empty misses rows' as failure,
        count(*) <> 2 as failed
    from ({{ test_expect_empty(report_with_rows) }})
),

final as (
    select failure
    from cases
    where failed
)

select * from final
