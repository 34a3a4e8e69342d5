-- One row per document (grain: document_id): registry facts, the optional manifest laid over what
-- the extractor inferred, each attribute with its source, and the region inferred from the names.
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

manifest as (
    select * from {{ ref('document_manifest') }}
),

regions as (
    select * from {{ ref('regions') }}
),

merged as (
    select
        documents.document_id,
        documents.file_name,
        coalesce(manifest.title, documents.title) as title,
        case
            when manifest.title is not null then 'manifest'
            when documents.title is not null then 'inferred'
        end as title_source,
        coalesce(manifest.issuing_body, documents.issuing_body) as issuing_body_name,
        case
            when manifest.issuing_body is not null then 'manifest'
            when documents.issuing_body is not null then 'inferred'
        end as issuing_body_source,
        coalesce(manifest.fiscal_year, documents.fiscal_year) as fiscal_year,
        case
            when manifest.fiscal_year is not null then 'manifest'
            when documents.fiscal_year is not null then 'inferred'
        end as fiscal_year_source,
        coalesce(manifest.document_kind, documents.document_kind) as document_kind,
        case
            when manifest.document_kind is not null then 'manifest'
            when documents.document_kind is not null then 'inferred'
        end as document_kind_source,
        documents.scope,
        manifest.region_code as manifest_region_code,
        manifest.is_current as manifest_is_current,
        documents.units_printed,
        documents.extraction_status,
        documents.error_message,
        documents.error_line,
        documents.warning_count,
        documents.line_count,
        documents.sha256,
        documents.ingested_at
    from documents
    left join manifest
        on documents.file_name = manifest.file_name
),

-- A region is inferred when its name occurs in the issuing body or the title. Many county names
-- recur across provinces (朝阳区, 城区) or are short enough to occur inside other words, so a county
-- or city counts only when its parent or grandparent is named too, or when its name is unique in
-- the seed and at least three characters long; then the most specific level wins.
region_matches as (
    select
        merged.document_id,
        regions.region_code,
        regions.name,
        regions.level,
        regions.parent_region_code
    from merged
    inner join regions
        on contains(coalesce(merged.issuing_body_name, '') || '|' || coalesce(merged.title, ''), regions.name)
),

region_match_parents as (
    select
        matches.document_id,
        matches.region_code,
        matches.name,
        matches.level,
        bool_or(ancestors.region_code is not null) as ancestor_named
    from region_matches as matches
    left join regions as parents
        on matches.parent_region_code = parents.region_code
    left join region_matches as ancestors
        on
            matches.document_id = ancestors.document_id
            and (
                matches.parent_region_code = ancestors.region_code
                or parents.parent_region_code = ancestors.region_code
            )
    group by
        matches.document_id,
        matches.region_code,
        matches.name,
        matches.level
),

region_name_counts as (
    select
        name,
        count(*) as name_count
    from regions
    group by name
),

region_candidates as (
    select
        matches.document_id,
        matches.region_code,
        row_number() over (
            partition by matches.document_id
            order by
                case matches.level when 'county' then 1 when 'city' then 2 else 3 end asc,
                matches.ancestor_named desc,
                matches.region_code asc
        ) as candidate_rank
    from region_match_parents as matches
    inner join region_name_counts
        on matches.name = region_name_counts.name
    where
        matches.level = 'province'
        or matches.ancestor_named
        or (region_name_counts.name_count = 1 and length(matches.name) >= 3)
),

inferred_region as (
    select
        document_id,
        region_code
    from region_candidates
    where candidate_rank = 1
),

-- One disclosure = issuing body × fiscal year × kind: a tables file and a notes file published
-- apart share it. The disclosure's scope is the one its files state (a tables file often prints
-- no cover that names 部门预算 / 单位预算).
disclosures as (
    select
        document_id,
        disclosure_key,
        coalesce(scope, max(scope) over (partition by disclosure_key)) as disclosure_scope
    from (
        select
            document_id,
            scope,
            case
                when issuing_body_name is not null and fiscal_year is not null
                    then md5(
                        issuing_body_name || '|' || fiscal_year::varchar || '|'
                        || coalesce(document_kind, '')
                    )
            end as disclosure_key
        from merged
    ) as keyed
),

final as (
    select
        merged.document_id,
        merged.file_name,
        merged.title,
        merged.title_source,
        merged.issuing_body_name,
        merged.issuing_body_source,
        coalesce(merged.manifest_region_code, inferred_region.region_code) as region_code,
        case
            when merged.manifest_region_code is not null then 'manifest'
            when inferred_region.region_code is not null then 'inferred'
        end as region_source,
        merged.fiscal_year,
        merged.fiscal_year_source,
        merged.document_kind,
        merged.document_kind_source,
        merged.scope,
        disclosures.disclosure_key,
        disclosures.disclosure_scope,
        -- A 部门预算 covers a department with its units; anything else is about one unit.
        case
            when
                contains(
                    coalesce(disclosures.disclosure_scope, '') || coalesce(merged.title, ''), '部门'
                )
                then 'department'
            else 'unit'
        end as issuer_level,
        -- 政府层级 of the issuer: its region's level, or central for a body of the central
        -- government (国家…局, 中央…, 国务院…), which names no region.
        case
            when region_levels.level is not null then region_levels.level
            when regexp_matches(coalesce(merged.issuing_body_name, ''), '^(国家|中央|中共中央|国务院|全国|中国)')
                then 'central'
        end as government_level,
        merged.units_printed,
        merged.manifest_is_current,
        merged.extraction_status,
        merged.error_message,
        merged.error_line,
        merged.warning_count,
        merged.line_count,
        merged.sha256,
        merged.ingested_at
    from merged
    inner join disclosures
        on merged.document_id = disclosures.document_id
    left join inferred_region
        on merged.document_id = inferred_region.document_id
    left join regions as region_levels
        on coalesce(merged.manifest_region_code, inferred_region.region_code) = region_levels.region_code
)

select * from final
