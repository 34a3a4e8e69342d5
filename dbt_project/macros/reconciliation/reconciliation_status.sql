{#-
    The outcome of one reconciliation check, from the two sides and the rounding allowance.

    exact              expected = actual to the cent
    rounding           differs, but by no more than the tolerance (the rounding the printed
                       precision of the figures involved allows)
    fail               differs by more than the tolerance
    insufficient_data  an input is missing or unreadable: never silently a pass

    Every rule's status is computed by this one macro (marts.reconciliation_results).
-#}
{% macro reconciliation_status(expected, actual, tolerance, is_insufficient) -%}
    case
        when {{ is_insufficient }} or {{ expected }} is null or {{ actual }} is null
            then 'insufficient_data'
        when {{ expected }} = {{ actual }} then 'exact'
        when abs({{ expected }} - {{ actual }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}


{#-
    Half a unit of the last printed digit, in yuan, for a figure printed in `unit`.

    Budget tables print 元 and 万元 to two decimals, so a printed figure carries up to
    ±0.005 of its unit of rounding: 0.005 元, or 0.005 万元 = 50 元. A sum of n printed figures
    may therefore drift from the printed total by (n + 1) × this amount (the total is rounded
    too). Figures with no money unit (counts, headcounts) are exact.
-#}
{% macro reconciliation_half_unit_yuan(unit) -%}
    cast(
        case
            when {{ unit }} = '万元' then 50.0
            when {{ unit }} = '亿元' then 500000.0
            when {{ unit }} = '元' then 0.005
            else 0.0
        end as decimal(18, 3)
    )
{%- endmacro %}


{#-
    Yuan per printed unit (元 1, 万元 10000, 亿元 100000000; none for a unit that is not money),
    as an exact DECIMAL: tolerances and restated amounts are money, never DOUBLE (a DOUBLE sum
    depends on the order it adds in, so the same figures could give 0.115 or 0.11499999999999999).
-#}
{% macro reconciliation_unit_factor(unit) -%}
    cast(
        case
            when {{ unit }} = '亿元' then 100000000
            when {{ unit }} = '万元' then 10000
            when {{ unit }} = '元' then 1
        end as decimal(18, 0)
    )
{%- endmacro %}


{#-
    10 to the power -decimals as an exact DECIMAL (0.5 × it is half a unit of the last printed
    decimal): 0 -> 1, 2 -> 0.01, 6 -> 0.000001 (0 beyond 9 decimals). power() would give a DOUBLE.
-#}
{% macro reconciliation_decimal_step(decimals) -%}
    cast('1e-' || ({{ decimals }})::varchar as decimal(18, 9))
{%- endmacro %}


{#-
    A list column from a '+'- or '|'-separated catalogue string, trimmed, empty items dropped.
-#}
{% macro reconciliation_split(column, separator) -%}
    list_filter(
        list_transform(string_split({{ column }}, '{{ separator }}'), x -> trim(x)),
        x -> x <> ''
    )
{%- endmacro %}


{#-
    The source a figure key needs to exist in a document for a rule to apply to it.
    Statement figures st/<statement_type>/<side>/<row_key>/<measure> need that table side with
    that column (any row); performance figures (perf/<family>/<period>/<axis>) need a table of
    the family that prints the axis (the key itself); other figures (detail/..., count/...,
    narr/...) need their source: the first two segments.
-#}
{% macro reconciliation_availability_key(key) -%}
    case
        when starts_with({{ key }}, 'st/')
            then split_part({{ key }}, '/', 1) || '/' || split_part({{ key }}, '/', 2) || '/'
            || split_part({{ key }}, '/', 3) || '/*/' || split_part({{ key }}, '/', 5)
        when starts_with({{ key }}, 'perf/') then {{ key }}
        else split_part({{ key }}, '/', 1) || '/' || split_part({{ key }}, '/', 2)
    end
{%- endmacro %}


{#-
    A printed name folded for matching against reference names: no whitespace (line-wrap
    spaces such as "国有资本经营 预算支出"), full-width brackets.
-#}
{% macro reconciliation_name_key(column) -%}
    replace(replace(regexp_replace(coalesce({{ column }}, ''), '\s+', '', 'g'), '(', '（'), ')', '）')
{%- endmacro %}
