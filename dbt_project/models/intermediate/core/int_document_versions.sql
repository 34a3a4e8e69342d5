-- One row per document (grain: document_id): which version of its publication it is.
--
-- Two different documents (different bytes) for the same issuing body, fiscal year, kind and
-- scope are versions of one publication (e.g. a corrected republication): both are kept, and
-- exactly one is current. The current one is, in order:
--   1. the one the manifest marks is_current = true (and never one it marks false);
--   2. else the later one: the later ingested_at (when its content was first ingested, kept
--      across re-runs, so a republication added to raw/ after the original is later);
--   3. else (ingested in the same second of one run) the greater file name.
-- version_basis says which of these decided. The same bytes under two names are not versions
-- but one document (one document_id), listed with every file name.
-- A document whose issuing body, year or kind is unknown (or that failed extraction) is its
-- own publication: current, version 1 of 1.
with

documents as (
    select * from {{ ref('int_documents') }}
),

files as (
    select
        document_id,
        list(file_name order by file_name) as file_names
    from {{ ref('stg_raw__document_files') }}
    group by document_id
),

keyed as (
    select
        document_id,
        file_name,
        ingested_at,
        manifest_is_current,
        case
            when
                extraction_status = 'loaded'
                and issuing_body_name is not null
                and fiscal_year is not null
                and document_kind is not null
                then concat_ws(
                    '|', issuing_body_name, fiscal_year::varchar, document_kind, coalesce(scope, '')
                )
            else 'document:' || document_id
        end as publication_key
    from documents
),

ranked as (
    select
        *,
        row_number() over (
            partition by publication_key order by ingested_at, file_name
        ) as version_number,
        count(*) over (partition by publication_key) as version_count,
        row_number() over (
            partition by publication_key
            order by
                case manifest_is_current when true then 0 when false then 2 else 1 end,
                ingested_at desc,
                file_name desc
        ) as currency_rank,
        bool_or(manifest_is_current is not null) over (partition by publication_key)
            as has_manifest_choice,
        count(*) over (partition by publication_key, ingested_at) as same_time_count
    from keyed
),

final as (
    select
        ranked.document_id,
        ranked.publication_key,
        ranked.version_number,
        ranked.version_count,
        ranked.currency_rank = 1 as is_current,
        case
            when ranked.version_count = 1 then 'single'
            when ranked.has_manifest_choice then 'manifest'
            when current_version.same_time_count = 1 then 'ingested_at'
            else 'file_name'
        end as version_basis,
        current_version.document_id as current_document_id,
        coalesce(files.file_names, [ranked.file_name]) as file_names
    from ranked
    inner join ranked as current_version
        on
            ranked.publication_key = current_version.publication_key
            and current_version.currency_rank = 1
    left join files
        on ranked.document_id = files.document_id
)

select * from final
