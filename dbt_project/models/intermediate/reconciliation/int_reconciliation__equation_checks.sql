-- One row per equation check instance (grain: document × rule × instance): the rules of the
-- catalogue whose implementation is `equation` (one instance per document) or
-- `equation_by_code` (one instance per function code and the total row), evaluated over the
-- named figures of int_reconciliation__figures. This one model implements every
-- cross-statement identity; adding one is adding a catalogue row.
-- Term syntax in reconciliation_rules.lhs / rhs: terms joined by ' + '; a leading '-' negates;
-- a trailing '?' makes the term optional (absent = 0); a trailing '~' makes the identity apply
-- only where that figure is printed (a mapping one document uses and another need not); a trailing
-- '!' makes it apply only where that figure is not printed or zero, and adds nothing (a source of
-- money the identity leaves out: 事业收入 may pay for basic or project spending, split nowhere);
-- 'a|b' in the last segment lists
-- alternative columns, the first one the document prints is used; {fc} (every function code and
-- the total) and {class} (3-digit codes and the total) expand to one instance each; only the total
-- where a required term's table prints no function codes at all.
-- applies_when 'unit_issuer': only documents about one budget unit (单位预算; issuer_level
-- 'unit'), where each social-security contribution has a single functional home (004: 30110 =
-- 2101102); a 部门预算 adds up units classified differently (001: 30110 1536.28 万元 vs
-- 2101101 + 2101102 1547.62 万元), so there the pair is no identity.
-- applies_when 'budget_document': not in a 决算, whose outturn differs from its revenue by the
-- balances carried in and out (支出 ≠ 收入 + 上年结转 by code; 三公 决算 includes project money).
with

rules as (
    select * from {{ ref('reconciliation_rules') }}
    where implementation in ('equation', 'equation_by_code')
),

figures as (
    select * from {{ ref('int_reconciliation__figures') }}
    where {{ incremental_documents() }}
),

sources as (
    select * from {{ ref('int_reconciliation__figure_sources') }}
    where {{ incremental_documents() }}
),

documents as (
    select
        document_id,
        issuer_level,
        document_kind
    from {{ ref('int_documents') }}
    where extraction_status = 'loaded' and {{ incremental_documents() }}
),

raw_terms as (
    select
        rule_id,
        implementation,
        'lhs' as equation_side,
        generate_subscripts(terms, 1) as term_ordinal,
        unnest(terms) as term
    from (select
        *,
        {{ reconciliation_split('lhs', ' + ') }} as terms
    from rules)
    union all
    select
        rule_id,
        implementation,
        'rhs' as equation_side,
        generate_subscripts(terms, 1) as term_ordinal,
        unnest(terms) as term
    from (select
        *,
        {{ reconciliation_split('rhs', ' + ') }} as terms
    from rules)
),

parsed_terms as (
    select
        rule_id,
        implementation,
        equation_side,
        term_ordinal,
        case when starts_with(term, '-') then -1 else 1 end as sign,
        ends_with(term, '?') or ends_with(term, '!') as is_optional,
        ends_with(term, '~') as is_conditional,
        ends_with(term, '!') as is_exclusion,
        ltrim(rtrim(term, '?~!'), '-') as term_body
    from raw_terms
),

-- 'prefix/a|b' -> alternatives 'prefix/a', 'prefix/b' in order
alternatives as (
    select
        parsed_terms.*,
        generate_subscripts(parsed_terms.choices, 1) as alternative_ordinal,
        unnest(parsed_terms.choices) as choice,
        parsed_terms.prefix
    from (
        select
            *,
            regexp_extract(term_body, '^(.*/)[^/]*$', 1) as prefix,  -- noqa: RF04
            string_split(regexp_extract(term_body, '[^/]*$', 0), '|') as choices
        from parsed_terms
    ) as parsed_terms
),

alternative_keys as (
    select
        * exclude (choice, prefix),
        prefix || choice as figure_key_template,
        {{ reconciliation_availability_key('prefix || choice') }} as availability_key
    from alternatives
),

-- the first alternative each document prints
chosen as (
    select
        documents.document_id,
        alternative_keys.*,
        row_number() over (
            partition by
                documents.document_id,
                alternative_keys.rule_id,
                alternative_keys.equation_side,
                alternative_keys.term_ordinal
            order by alternative_keys.alternative_ordinal
        ) as preference
    from documents
    cross join alternative_keys
    inner join sources
        on
            documents.document_id = sources.document_id
            and alternative_keys.availability_key = sources.availability_key
),

chosen_terms as (
    select * from chosen
    where preference = 1
),

-- a rule applies to a document when every required term has a source there
applicable as (
    select
        documents.document_id,
        rules.rule_id
    from documents
    cross join rules
    where
        (coalesce(rules.applies_when, '') <> 'unit_issuer' or documents.issuer_level = 'unit')
        and (coalesce(rules.applies_when, '') <> 'budget_document' or coalesce(documents.document_kind, '') <> '决算')
        and not exists (
            select 1
            from parsed_terms
            where
                parsed_terms.rule_id = rules.rule_id
                and not parsed_terms.is_optional
                and not exists (
                    select 1 from chosen_terms
                    where
                        chosen_terms.document_id = documents.document_id
                        and chosen_terms.rule_id = parsed_terms.rule_id
                        and chosen_terms.equation_side = parsed_terms.equation_side
                        and chosen_terms.term_ordinal = parsed_terms.term_ordinal
                )
        )
),

applicable_terms as (
    select
        applicable.document_id,
        parsed_terms.rule_id,
        parsed_terms.implementation,
        parsed_terms.equation_side,
        parsed_terms.term_ordinal,
        parsed_terms.sign,
        parsed_terms.is_optional,
        parsed_terms.is_conditional,
        parsed_terms.is_exclusion,
        chosen_terms.figure_key_template
    from applicable
    inner join parsed_terms
        on applicable.rule_id = parsed_terms.rule_id
    left join chosen_terms
        on
            applicable.document_id = chosen_terms.document_id
            and parsed_terms.rule_id = chosen_terms.rule_id
            and parsed_terms.equation_side = chosen_terms.equation_side
            and parsed_terms.term_ordinal = chosen_terms.term_ordinal
),

-- instances: '' for a document-level equation; every row key a by-code template matches
code_instances as (
    select distinct
        applicable_terms.document_id,
        applicable_terms.rule_id,
        split_part(figures.figure_key, '/', 4) as instance
    from applicable_terms
    inner join figures
        on
            applicable_terms.document_id = figures.document_id
            and figures.figure_key like replace(
                replace(applicable_terms.figure_key_template, '{fc}', '%'), '{class}', '%'
            )
    where
        applicable_terms.implementation = 'equation_by_code'
        and not applicable_terms.is_exclusion
        and (
            split_part(figures.figure_key, '/', 4) = 'total'
            or (
                contains(applicable_terms.figure_key_template, '{fc}')
                and regexp_matches(split_part(figures.figure_key, '/', 4), '^fc[0-9]+$')
            )
            or (
                contains(applicable_terms.figure_key_template, '{class}')
                and regexp_matches(split_part(figures.figure_key, '/', 4), '^fc[0-9]{3}$')
            )
        )
),

-- statements (and sides) that print their rows by function code in the document
coded_statements as (
    select distinct
        document_id,
        regexp_extract(figure_key, '^(st/[^/]+/[^/]+/)fc[0-9]+/', 1) as statement_prefix
    from figures
    where regexp_matches(figure_key, '^st/[^/]+/[^/]+/fc[0-9]+/')
),

-- a by-code identity with a required term whose table prints no codes at all (a 收入总表 printed
-- as its 合计 line only, or by budget unit instead of by 功能分类): per code there is nothing to
-- compare, only the total
uncoded_rules as (
    select distinct
        document_id,
        rule_id
    from applicable_terms
    where
        implementation = 'equation_by_code'
        and not is_optional
        and not is_conditional
        and (contains(figure_key_template, '{fc}') or contains(figure_key_template, '{class}'))
        and not exists (
            select 1
            from coded_statements
            where
                coded_statements.document_id = applicable_terms.document_id
                and starts_with(applicable_terms.figure_key_template, coded_statements.statement_prefix)
        )
),

instances as (
    select
        document_id,
        rule_id,
        '' as instance
    from applicable
    where
        rule_id in (
            select rules.rule_id from rules
            where rules.implementation = 'equation'
        )
    union all
    select code_instances.*
    from code_instances
    where
        code_instances.instance = 'total'
        or not exists (
            select 1
            from uncoded_rules
            where
                uncoded_rules.document_id = code_instances.document_id
                and uncoded_rules.rule_id = code_instances.rule_id
        )
),

resolved_terms as (
    select
        instances.instance,
        applicable_terms.*,
        replace(
            replace(applicable_terms.figure_key_template, '{fc}', instances.instance),
            '{class}',
            instances.instance
        ) as figure_key
    from instances
    inner join applicable_terms
        on
            instances.document_id = applicable_terms.document_id
            and instances.rule_id = applicable_terms.rule_id
),

evaluated_terms as (
    select
        resolved_terms.*,
        figures.figure_key is not null as is_found,
        case
            when resolved_terms.is_exclusion then 0
            else resolved_terms.sign * coalesce(figures.amount_yuan, 0)
        end as signed_amount_yuan,
        resolved_terms.is_exclusion and coalesce(figures.amount_yuan, 0) <> 0 as excludes,
        case when resolved_terms.is_exclusion then 0 else coalesce(figures.tolerance_yuan, 0) end
            as tolerance_yuan,
        coalesce(figures.is_blank, true) or resolved_terms.is_exclusion as is_blank,
        coalesce(figures.is_unreadable, false) as is_unreadable,
        -- a missing required figure makes the check insufficient (in a by-code identity, a
        -- missing total row too); a code a table does not print carries no money there
        figures.figure_key is null
        and not resolved_terms.is_optional
        and not resolved_terms.is_conditional
        and (resolved_terms.implementation = 'equation' or resolved_terms.instance = 'total')
        and resolved_terms.figure_key_template is not null as is_missing,
        case
            when figures.figure_key is not null
                then case when resolved_terms.sign < 0 then '−' else '' end || figures.citation
            when resolved_terms.figure_key is null then null
            else resolved_terms.figure_key || ': not printed'
        end as citation,
        coalesce(figures.source_lines, []) as source_lines
    from resolved_terms
    left join figures
        on
            resolved_terms.document_id = figures.document_id
            and resolved_terms.figure_key = figures.figure_key
),

aggregated as (
    select
        document_id,
        rule_id,
        implementation,
        instance,
        sum(case when equation_side = 'lhs' then signed_amount_yuan else 0 end) as expected_yuan,
        sum(case when equation_side = 'rhs' then signed_amount_yuan else 0 end) as actual_yuan,
        sum(tolerance_yuan) as tolerance_yuan,
        bool_or(is_missing or is_unreadable) as is_insufficient,
        bool_and(is_blank) as all_blank,
        bool_or(is_conditional and not is_found) or bool_or(excludes) as condition_unmet,
        -- a side made only of optional terms none of which is printed (30301 + 30302 against
        -- 2080501 + 2080502 where the document classifies its retirees under another 项): that
        -- side is absent, and an identity with an absent side has nothing to compare
        bool_and(is_optional and not is_found) filter (where equation_side = 'lhs') as lhs_absent,
        bool_and(is_optional and not is_found) filter (where equation_side = 'rhs') as rhs_absent,
        string_agg(citation, ' + ' order by term_ordinal)
        filter (where equation_side = 'lhs' and not is_exclusion) as expected_source,
        string_agg(citation, ' + ' order by term_ordinal)
        filter (where equation_side = 'rhs' and not is_exclusion) as actual_source,
        flatten(
            list(source_lines order by term_ordinal)
            filter (where equation_side = 'lhs' and not is_exclusion)
        ) as expected_lines,
        flatten(
            list(source_lines order by term_ordinal)
            filter (where equation_side = 'rhs' and not is_exclusion)
        ) as actual_lines
    from evaluated_terms
    group by all
),

final as (
    select
        document_id,
        rule_id,
        cast(null as varchar) as statement_type,
        instance,
        expected_yuan,
        actual_yuan,
        tolerance_yuan,
        is_insufficient,
        coalesce(expected_source, 'not printed') as expected_source,
        coalesce(actual_source, 'not printed') as actual_source,
        coalesce(expected_lines, []) as expected_lines,
        coalesce(actual_lines, []) as actual_lines
    from aggregated
    -- nothing printed on either side: the identity has nothing to check in this document
    where
        not all_blank
        and not condition_unmet
        and not (implementation = 'equation' and (coalesce(lhs_absent, false) or coalesce(rhs_absent, false)))
)

select * from final
