-- One row per document × rule × instance: every identity the documents imply, checked.
-- expected is the figure the rule treats as printed truth (the total, the restated figure),
-- actual the figure recomputed from the other side; difference = expected − actual.
-- status: exact | rounding (within the rounding the printed precision allows) | fail |
-- insufficient_data (an input is missing or unreadable). A failure listed in the seed
-- acknowledged_discrepancies (keyed by document_id, the content hash, so an edited file is
-- not silently acknowledged) is reported with its reason and does not fail the build.
{{ config(materialized='view') }}

-- A view: the union of the results of each document's own tables (incremental by document, so a
-- refresh writes only the documents it builds) and of the corpus-wide checks (a table), both
-- built by macro reconciliation_result_rows. Its references name no database, so that the
-- published snapshot (another file name) and any copy of it resolve them in themselves.
select * from {{ ref('int_reconciliation__document_results').include(database=false) }}
union all
select * from {{ ref('int_reconciliation__corpus_results').include(database=false) }}
