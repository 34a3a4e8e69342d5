-- One row per place a department / budget-unit name is printed (grain: mention_source × document_id
-- × table_ordinal × row_ordinal × perf_ordinal), with the name normalised, the printed code split off,
-- the alias seed applied, and the conformed department_key.
--
-- Normalisation (the same on printed names and on alias variants): a leading unit code such as
-- "051-" / "205-" / "D05-" is split off into printed_code; a trailing "本级" (the unit's own
-- budget level: "205-开江县中小学教学研究室本级", "阳泉市教育局本级") is dropped; brackets and
-- colons are folded to full width (as the extractor's normalize_name does) and whitespace removed for the display form;
-- the matching key also drops brackets and punctuation and a leading 中共 of a party organ
-- (中共阳泉市委组织部 = 阳泉市委组织部). department_key = hash(region, canonical key),
-- so the same unit is one row across documents and years of one region.
with

documents as (
    select * from {{ ref('int_documents') }}
    where {{ incremental_documents() }}
),

statement_tables as (
    select * from {{ ref('stg_raw__statement_tables') }}
    where {{ incremental_documents() }}
),

statement_rows as (
    select * from {{ ref('stg_raw__statement_rows') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('stg_raw__performance_tables') }}
    where {{ incremental_documents() }}
),

aliases as (
    select * from {{ ref('department_aliases') }}
),

issuers as (
    select
        'document_issuer' as mention_source,
        document_id,
        cast(null as integer) as table_ordinal,
        cast(null as integer) as row_ordinal,
        cast(null as integer) as perf_ordinal,
        issuing_body_name as printed_name,
        cast(null as varchar) as printed_code,
        issuer_level as mention_role,
        cast(null as varchar) as parent_printed_name,
        true as is_statement_source
    from documents
    where issuing_body_name is not null
),

table_departments as (
    select
        'statement_table' as mention_source,
        statement_tables.document_id,
        statement_tables.table_ordinal,
        cast(null as integer) as row_ordinal,
        cast(null as integer) as perf_ordinal,
        statement_tables.department_name as printed_name,
        cast(null as varchar) as printed_code,
        documents.issuer_level as mention_role,
        cast(null as varchar) as parent_printed_name,
        true as is_statement_source
    from statement_tables
    inner join documents
        on statement_tables.document_id = documents.document_id
    where statement_tables.department_name is not null
),

-- Statement rows that name a budget unit, by the kind of table: every row of a project budget
-- table names the unit it belongs to (unit subtotal rows and their projects: project_row); a
-- 机关运行经费 table lists the budget units by name (its detail rows: agency_operating_row); other
-- statement tables broken down by unit (a 收入总表 whose name column is 单位名称) name the unit
-- each row's money belongs to (statement_unit_row).
statement_row_units as (
    select
        case
            when statement_tables.statement_type in ('project_expenditure', 'project_expenditure_carryover')
                then 'project_row'
            when statement_tables.statement_type = 'agency_operating_expenses'
                then 'agency_operating_row'
            else 'statement_unit_row'
        end as mention_source,
        statement_rows.document_id,
        statement_rows.table_ordinal,
        statement_rows.row_ordinal,
        cast(null as integer) as perf_ordinal,
        case
            when statement_tables.statement_type = 'agency_operating_expenses' then statement_rows.name
            else statement_rows.unit_name
        end as printed_name,
        cast(null as varchar) as printed_code,
        'unit' as mention_role,
        coalesce(statement_tables.department_name, documents.issuing_body_name) as parent_printed_name,
        true as is_statement_source
    from statement_rows
    inner join statement_tables
        on
            statement_rows.document_id = statement_tables.document_id
            and statement_rows.table_ordinal = statement_tables.table_ordinal
    inner join documents
        on statement_rows.document_id = documents.document_id
    where
        statement_tables.statement_type is not null
        and case
            when statement_tables.statement_type = 'agency_operating_expenses'
                then statement_rows.row_role = 'detail' and statement_rows.name is not null
            else statement_rows.unit_name is not null
        end
),

perf_departments as (
    select
        'performance_department' as mention_source,
        performance_tables.document_id,
        cast(null as integer) as table_ordinal,
        cast(null as integer) as row_ordinal,
        performance_tables.perf_ordinal,
        performance_tables.department_name as printed_name,
        performance_tables.department_code as printed_code,
        case
            when performance_tables.family = 'project_target' then 'department'
            else documents.issuer_level
        end as mention_role,
        cast(null as varchar) as parent_printed_name,
        false as is_statement_source
    from performance_tables
    inner join documents
        on performance_tables.document_id = documents.document_id
    where performance_tables.department_name is not null
),

perf_units as (
    select
        'performance_implementing_unit' as mention_source,
        performance_tables.document_id,
        cast(null as integer) as table_ordinal,
        cast(null as integer) as row_ordinal,
        performance_tables.perf_ordinal,
        performance_tables.implementing_unit as printed_name,
        cast(null as varchar) as printed_code,
        'unit' as mention_role,
        performance_tables.department_name as parent_printed_name,
        false as is_statement_source
    from performance_tables
    where performance_tables.implementing_unit is not null
),

-- The units a narrative enumerates before its unit count ("由阳泉市教育局本级、…等19个二级预算
-- 单位", 001 line 79): the document's own list of its budget units (its first such list;
-- row_ordinal = the position in the list).
narrative_units as (
    select
        'narrative_unit_list' as mention_source,
        list_items.document_id,
        cast(null as integer) as table_ordinal,
        list_items.item_ordinal as row_ordinal,
        cast(null as integer) as perf_ordinal,
        list_items.name as printed_name,
        cast(null as varchar) as printed_code,
        'unit' as mention_role,
        documents.issuing_body_name as parent_printed_name,
        false as is_statement_source
    from {{ ref('int_narrative_unit_list') }} as list_items
    inner join documents
        on list_items.document_id = documents.document_id
),

mentions as (
    select * from issuers
    union all
    select * from table_departments
    union all
    select * from statement_row_units
    union all
    select * from perf_departments
    union all
    select * from perf_units
    union all
    select * from narrative_units
),

-- Split a leading unit code ("051-阳泉市教育局", "205-开江县…本级", "D05-中国共产党…").
code_split as (
    select
        *,
        regexp_matches(trim(printed_name), '^[0-9A-Z]{2,4}[ \t\-－—]+\S') as has_code_prefix
    from mentions
),

cleaned as (
    select
        * exclude (printed_name, printed_code, has_code_prefix, parent_printed_name),
        printed_name,
        coalesce(
            printed_code,
            case when has_code_prefix then regexp_extract(trim(printed_name), '^([0-9A-Z]{2,4})', 1) end
        ) as printed_code,
        regexp_replace(
            translate(
                -- "X本级" is X's own budget level, printed under X's name in the statements
                regexp_replace(
                    case
                        when has_code_prefix then regexp_replace(trim(printed_name), '^[0-9A-Z]{2,4}[ \t\-－—]+', '')
                        else trim(printed_name)
                    end,
                    '(.)本级$',
                    '\1'
                ),
                '()[]:',
                '（）【】：'
            ),
            '\s+',
            '',
            'g'
        ) as display_name,
        regexp_replace(
            translate(
                regexp_replace(trim(coalesce(parent_printed_name, '')), '^[0-9A-Z]{2,4}[ \t\-－—]+', ''),
                '()[]:',
                '（）【】：'
            ),
            '\s+',
            '',
            'g'
        ) as parent_display_name
    from code_split
),

keyed as (
    select
        cleaned.*,
        regexp_replace(cleaned.display_name, '[（）【】、，,。.：;；“”"''·—_－-]', '', 'g') as name_key,
        nullif(regexp_replace(cleaned.parent_display_name, '[（）【】、，,。.：;；“”"''·—_－-]', '', 'g'), '')
            as parent_name_key,
        documents.region_code
    from cleaned
    inner join documents
        on cleaned.document_id = documents.document_id
),

alias_keys as (
    select
        regexp_replace(
            regexp_replace(translate(trim(variant_name), '()[]:', '（）【】：'), '\s+', '', 'g'),
            '[（）【】、，,。.：;；“”"''·—_－-]',
            '',
            'g'
        ) as variant_key,
        regexp_replace(translate(trim(canonical_name), '()[]:', '（）【】：'), '\s+', '', 'g') as canonical_display,
        region_code,
        reason
    from aliases
),

resolved as (
    select
        keyed.*,
        coalesce(alias_keys.canonical_display, keyed.display_name) as canonical_name,
        -- A party organ is printed with and without its 中共 prefix (中共X省委办公厅 / X省委办公厅)
        -- in different years' documents: one key.
        regexp_replace(
            regexp_replace(
                coalesce(alias_keys.canonical_display, keyed.display_name), '[（）【】、，,。.：;；“”"''·—_－-]', '', 'g'
            ),
            '^中共(.+[委会])',
            '\1'
        ) as canonical_key,
        alias_keys.reason as alias_reason,
        parent_alias.canonical_display as parent_alias_display
    from keyed
    left join alias_keys
        on
            keyed.name_key = alias_keys.variant_key
            and (alias_keys.region_code is null or keyed.region_code = alias_keys.region_code)
    left join alias_keys as parent_alias
        on
            keyed.parent_name_key = parent_alias.variant_key
            and (parent_alias.region_code is null or keyed.region_code = parent_alias.region_code)
),

final as (
    select
        mention_source,
        document_id,
        table_ordinal,
        row_ordinal,
        perf_ordinal,
        printed_name,
        printed_code,
        display_name,
        canonical_name,
        canonical_key,
        alias_reason,
        mention_role as role,  -- public column name -- noqa: RF04
        is_statement_source,
        region_code,
        left(md5(coalesce(region_code, '-') || '|' || canonical_key), 16) as department_key,
        case
            when parent_name_key is not null
                then left(
                    md5(
                        coalesce(region_code, '-') || '|'
                        || regexp_replace(
                            regexp_replace(
                                coalesce(parent_alias_display, parent_display_name),
                                '[（）【】、，,。.：;；“”"''·—_－-]',
                                '',
                                'g'
                            ),
                            '^中共(.+[委会])',
                            '\1'
                        )
                    ),
                    16
                )
        end as parent_department_key
    from resolved
    where canonical_key <> ''
)

select * from final
