-- One row per document × figure source present in it (grain: document × availability_key):
-- a statement table side with a given column (st/<type>/<side>/*/<measure>), a performance
-- figure a table of the family prints (perf/<family>/<period>/<axis>), 项目构成分解 rows (detail/total, detail/items).
-- A rule applies to a document only where every source its figures need is present; a
-- figure missing from a present source is then insufficient_data, never a silent pass.
with

cells as (
    select * from {{ ref('int_reconciliation__cells') }}
    where {{ incremental_documents() }}
),

performance_tables as (
    select * from {{ ref('stg_raw__performance_tables') }}
    where {{ incremental_documents() }}
),

performance_funding as (
    select * from {{ ref('stg_raw__performance_funding') }}
    where {{ incremental_documents() }}
),

project_details as (
    select * from {{ ref('stg_raw__project_details') }}
    where {{ incremental_documents() }}
),

final as (
    select distinct
        document_id,
        'st/' || statement_type || '/' || side || '/*/' || measure as availability_key
    from cells
    union
    -- a performance figure is available where some table of the family prints that axis
    select distinct
        performance_funding.document_id,
        'perf/' || performance_tables.family || '/' || coalesce(performance_funding.period, '-')
        || '/' || performance_funding.funding_axis as availability_key
    from performance_funding
    inner join performance_tables
        on
            performance_funding.document_id = performance_tables.document_id
            and performance_funding.perf_ordinal = performance_tables.perf_ordinal
    union
    select distinct
        document_id,
        unnest(['detail/total', 'detail/items']) as availability_key
    from project_details
    union
    -- narrative, attribute and count figures are available where they exist
    select distinct
        document_id,
        figure_key as availability_key
    from {{ ref('int_reconciliation__figures') }}
    where split_part(figure_key, '/', 1) in ('narr', 'attr', 'count') and {{ incremental_documents() }}
)

select * from final
