-- One row per completeness check instance (grain: document × rule × instance): does the
-- document publish what it says and what its kind requires?
--
--   completeness.listed_table_found     the n-th table of a statement type its 目录 lists is
--                                       found when the document holds n tables of that type
--   completeness.required_table_found   each `required` statement of seeds/required_statements
--                                       for the document's kind and scope is found
--   completeness.table_has_rows         a table title is followed by rows (or an empty-table
--                                       note); a document that ends at a title publishes none
--   completeness.document_extracted     the document could be read at all (quarantined: 0)
--
-- expected is 1 (listed, required, printed), actual 1 when found, so that a missing table is a
-- fail whose sources name the table and the line where it is listed or titled.
-- Listed and required tables of a notes file that prints no statement table are judged on its
-- disclosure (int_documents.disclosure_key): a table the tables file published beside it prints
-- is found (that file named in actual_source). A file that prints tables is judged on its own.
with

documents as (
    select * from {{ ref('int_documents') }}
),

statement_tables as (
    select * from {{ ref('stg_raw__statement_tables') }}
),

statement_rows as (
    select * from {{ ref('stg_raw__statement_rows') }}
),

contents as (
    select * from {{ ref('stg_raw__contents_entries') }}
),

warnings as (
    select * from {{ ref('stg_raw__extraction_warnings') }}
),

required as (
    select * from {{ ref('required_statements') }}
    where requirement = 'required'
),

table_documents as (
    select distinct document_id
    from statement_tables
),

-- the files whose tables a document publishes: its own; for a notes file that prints no
-- statement table, those of the other loaded files of its disclosure (a copy or a version of
-- a document that prints tables is judged on its own tables)
disclosure_files as (
    select
        documents.document_id,
        siblings.document_id as file_document_id,
        siblings.file_name
    from documents
    inner join documents as siblings
        on
            documents.document_id = siblings.document_id
            or (
                documents.disclosure_key = siblings.disclosure_key
                and documents.document_id not in (select table_documents.document_id from table_documents)
            )
    where siblings.extraction_status = 'loaded'
),

found as (
    select
        disclosure_files.document_id,
        statement_tables.statement_type,
        count(*) as tables_found,
        string_agg(
            '「' || statement_tables.title || '」 line ' || statement_tables.title_line::varchar
            || case
                when disclosure_files.file_document_id <> disclosure_files.document_id
                    then ' of ' || disclosure_files.file_name
                else ''
            end,
            '; ' order by disclosure_files.file_name, statement_tables.title_line
        ) as found_titles,
        -- lines of the document's own tables only (another file's lines are not this one's)
        coalesce(
            list(statement_tables.title_line order by statement_tables.title_line)
            filter (where disclosure_files.file_document_id = disclosure_files.document_id),
            []::integer[]
        ) as found_lines
    from disclosure_files
    inner join statement_tables
        on disclosure_files.file_document_id = statement_tables.document_id
    group by all
),

listed as (
    select
        *,
        row_number() over (
            partition by document_id, statement_type order by entry_ordinal
        ) as rank_of_type
    from contents
),

listed_checks as (
    select
        listed.document_id,
        'completeness.listed_table_found' as rule_id,
        listed.statement_type,
        'L' || listed.source_line::varchar || ' ' || listed.title as instance,
        1 as expected_yuan,
        case when coalesce(found.tables_found, 0) >= listed.rank_of_type then 1 else 0 end
            as actual_yuan,
        '目录 line ' || listed.source_line::varchar || ' lists 「' || listed.entry_text || '」'
            as expected_source,
        coalesce(
            'found: ' || found.found_titles,
            'no ' || listed.statement_type || ' table found in the document'
        ) as actual_source,
        [listed.source_line] as expected_lines,
        coalesce(found.found_lines, []::integer[]) as actual_lines
    from listed
    left join found
        on
            listed.document_id = found.document_id
            and listed.statement_type = found.statement_type
),

-- where a missing table would sit: the titles the document does print, and the 目录 line listing it
document_titles as (
    select
        document_id,
        list(title_line order by title_line) as title_lines
    from statement_tables
    group by document_id
),

listed_lines as (
    select
        document_id,
        statement_type,
        list(source_line order by source_line) as listed_at
    from contents
    group by document_id, statement_type
),

required_checks as (
    select
        documents.document_id,
        'completeness.required_table_found' as rule_id,
        required.statement_type,
        required.statement_name as instance,
        1 as expected_yuan,
        case when found.tables_found > 0 then 1 else 0 end as actual_yuan,
        'a ' || documents.disclosure_scope || ' (' || documents.document_kind || ') publishes its '
        || required.statement_name || ' (seeds/required_statements.csv)' as expected_source,
        coalesce(
            'found: ' || found.found_titles,
            'no ' || required.statement_type || ' table found in the document ('
            || coalesce(documents.line_count::varchar, '?') || ' lines)'
        ) as actual_source,
        coalesce(listed_lines.listed_at, []::integer[]) as expected_lines,
        coalesce(found.found_lines, document_titles.title_lines, []::integer[]) as actual_lines
    from documents
    inner join required
        on
            documents.document_kind = required.document_kind
            and documents.disclosure_scope = required.scope
    left join found
        on
            documents.document_id = found.document_id
            and required.statement_type = found.statement_type
    left join listed_lines
        on
            documents.document_id = listed_lines.document_id
            and required.statement_type = listed_lines.statement_type
    left join document_titles
        on documents.document_id = document_titles.document_id
    where documents.extraction_status = 'loaded'
),

row_counts as (
    select
        document_id,
        table_ordinal,
        count(*) as rows_read
    from statement_rows
    group by all
),

-- a table recognised with neither rows nor an empty-table note
titled_tables_checks as (
    select
        statement_tables.document_id,
        'completeness.table_has_rows' as rule_id,
        statement_tables.statement_type,
        'L' || statement_tables.title_line::varchar || ' ' || statement_tables.title as instance,
        1 as expected_yuan,
        case when row_counts.rows_read > 0 or statement_tables.is_empty then 1 else 0 end
            as actual_yuan,
        'table 「' || statement_tables.title || '」 titled at line '
        || statement_tables.title_line::varchar as expected_source,
        coalesce(row_counts.rows_read, 0)::varchar || ' rows read (lines '
        || statement_tables.first_line::varchar || '–' || statement_tables.last_line::varchar
        || ')' as actual_source,
        [statement_tables.title_line] as expected_lines,
        []::integer[] as actual_lines
    from statement_tables
    left join row_counts
        on
            statement_tables.document_id = row_counts.document_id
            and statement_tables.table_ordinal = row_counts.table_ordinal
),

-- the document ends at a table title (orchestration/extract/statements.py TABLE_WITHOUT_ROWS)
dangling_title_checks as (
    select
        document_id,
        'completeness.table_has_rows' as rule_id,
        null::varchar as statement_type,
        'L' || source_line::varchar || ' ' || text as instance,
        1 as expected_yuan,
        0 as actual_yuan,
        'table title 「' || text || '」 at line ' || source_line::varchar as expected_source,
        message as actual_source,
        [source_line] as expected_lines,
        []::integer[] as actual_lines
    from warnings
    where kind = 'table_without_rows'
),

extracted_checks as (
    select
        document_id,
        'completeness.document_extracted' as rule_id,
        null::varchar as statement_type,
        '' as instance,
        1 as expected_yuan,
        case when extraction_status = 'loaded' then 1 else 0 end as actual_yuan,
        'document ' || file_name as expected_source,
        coalesce(error_message, 'loaded') as actual_source,
        []::integer[] as expected_lines,
        case when error_line is not null then [error_line] else []::integer[] end as actual_lines
    from documents
),

unioned as (
    select * from listed_checks
    union all
    select * from required_checks
    union all
    select * from titled_tables_checks
    union all
    select * from dangling_title_checks
    union all
    select * from extracted_checks
),

final as (
    select
        document_id,
        rule_id,
        statement_type,
        instance,
        expected_yuan,
        actual_yuan,
        0 as tolerance_yuan,
        false as is_insufficient,
        expected_source,
        actual_source,
        expected_lines,
        actual_lines
    from unioned
)

select * from final
