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

-- A region is inferred when its name occurs in the issuing body or the title; the most specific
-- level wins (county over city over province).
region_candidates as (
    select
        merged.document_id,
        regions.region_code,
        row_number() over (
            partition by merged.document_id
            order by
                case regions.level when 'county' then 1 when 'city' then 2 else 3 end,
                regions.region_code
        ) as candidate_rank
    from merged
    inner join regions
        on contains(coalesce(merged.issuing_body_name, '') || '|' || coalesce(merged.title, ''), regions.name)
),

inferred_region as (
    select
        document_id,
        region_code
    from region_candidates
    where candidate_rank = 1
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
        -- A 部门预算 covers a department with its units; anything else is about one unit.
        case
            when contains(coalesce(merged.scope, '') || coalesce(merged.title, ''), '部门') then 'department'
            else 'unit'
        end as issuer_level,
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
    left join inferred_region
        on merged.document_id = inferred_region.document_id
)

select * from final
