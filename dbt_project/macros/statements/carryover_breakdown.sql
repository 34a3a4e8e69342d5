{#-
    Whether a statement cell is one fund's share of a carry-over column group: a 收入总表 that
    splits 上年结转结余 by fund source ("上年结转结余 / 一般公共预算资金" beside
    "本年收入 / 一般公共预算资金"). Its measure names the fund, but the money is carried over,
    not this year's: the facts keep the group's own 小计 (measure carryover) and the
    reconciliation qualifies the fund measure as "<fund>@carryover", so that it never adds to
    the current-year figure of the same fund.
-#}
{% macro carryover_breakdown(column_path, measure) -%}
    (
        {{ measure }} not in ('carryover', 'total')
        and regexp_matches({{ column_path }}, '(^|/ )上年[^/]{0,6}(结转|结余)[^/]* / ')
    )
{%- endmacro %}
