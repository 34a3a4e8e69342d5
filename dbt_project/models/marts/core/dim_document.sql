-- One row per document in the raw directory (grain: document_id): what it is, who issued it, for
-- which region and year, in which units, whether it loaded, which version of its publication it
-- is (is_current) and every file name it was found under. Each descriptive attribute says where
-- it came from: the optional manifest seed, or inferred from the text.
--
-- Built from the documents alone (registry, manifest, issuer, regions, versions): nothing a
-- document's figures can break. Whether a document needs review is marts.document_review_status,
-- built after the quality marts and joined on document_id.
with

documents as (
    select * from {{ ref('int_documents') }}
),

issuers as (
    {{ document_issuers() }}
),

regions as (
    select * from {{ ref('regions') }}
),

versions as (
    select * from {{ ref('int_document_versions') }}
),

final as (
    select
        documents.document_id,
        documents.file_name,
        versions.file_names,
        documents.title,
        documents.title_source,
        issuers.department_key,
        documents.issuing_body_name,
        documents.issuing_body_source,
        documents.issuer_level,
        documents.government_level,
        -- One disclosure = issuing body × fiscal year × kind: a tables file and a notes file
        -- published apart share it (int_documents).
        documents.disclosure_key,
        documents.region_code,
        documents.region_source,
        case
            when r0.level = 'province' then r0.name
            when r1.level = 'province' then r1.name
            when r2.level = 'province' then r2.name
        end as province_name,
        case
            when r0.level = 'city' then r0.name
            when r1.level = 'city' then r1.name
        end as city_name,
        case when r0.level = 'county' then r0.name end as county_name,
        documents.fiscal_year,
        documents.fiscal_year_source,
        documents.document_kind,
        documents.document_kind_source,
        documents.scope,
        documents.units_printed,
        versions.is_current,
        versions.version_number,
        versions.version_count,
        versions.version_basis,
        versions.current_document_id,
        documents.extraction_status,
        documents.error_message,
        documents.error_line,
        documents.warning_count,
        documents.line_count,
        documents.sha256,
        documents.ingested_at
    from documents
    left join issuers
        on documents.document_id = issuers.document_id
    inner join versions
        on documents.document_id = versions.document_id
    -- The document's own division (r0), then up to two parents (city, province).
    left join regions as r0
        on documents.region_code = r0.region_code
    left join regions as r1
        on r0.parent_region_code = r1.region_code
    left join regions as r2
        on r1.parent_region_code = r2.region_code
)

select * from final
