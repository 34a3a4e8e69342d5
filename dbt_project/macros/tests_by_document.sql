{#-
    An incremental refresh tests the rows of the documents it built, not every row again.

    get_where_subquery() wraps the model every generic test reads (dbt's own hook; its default
    applies the test's `where` config). In an incremental refresh the pipeline names the
    documents the refresh added or rebuilt (refresh_documents(), macros/incremental.sql;
    orchestration/pipeline/state.py); a test then reads only those documents' rows when both
    hold:

    - the test is row-local or keyed within a document: not_null, accepted_values, or
      unique_combination over columns that include document_id. A row of another document
      cannot break it, so the rows of unchanged documents, tested when they were built, need no
      second look. unique on one column and relationships read across documents: they always
      read the whole model;
    - the model's rows are each one document's and are unchanged for a document the refresh did
      not build: an incremental model keyed by document (macros/incremental.sql keeps an
      unchanged document's rows as they were) or a staging view (the loader rewrites only the
      documents it loads).

    Without the list (a full build, `dbt build` by hand) every test reads every row. A refresh
    that only removed documents has none to test: the scope is then empty.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set documents = refresh_documents() -%}
    {%- if documents is not none and tested_rows_are_by_document(relation) -%}
        {%- set scope = 'document_id in ' ~ quoted_documents(documents) if documents else 'false' -%}
        {%- set where = scope ~ (' and (' ~ where ~ ')' if where else '') -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro tested_rows_are_by_document(relation) -%}
    {%- if not execute or model.resource_type != 'test' -%}
        {%- do return(false) -%}
    {%- endif -%}
    {%- set test = model.test_metadata or {} -%}
    {%- set columns = test.get('kwargs', {}).get('columns', []) -%}
    {%- set row_local = test.get('name') in ('not_null', 'accepted_values') -%}
    {%- set keyed = test.get('name') == 'unique_combination' and 'document_id' in columns -%}
    {%- if not (row_local or keyed) -%}
        {%- do return(false) -%}
    {%- endif -%}
    {%- for node_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is not none and node.relation_name == (relation | string) -%}
            {%- set incremental = node.config.materialized == 'incremental' -%}
            {%- do return(incremental or node.fqn[1] == 'staging') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(false) -%}
{%- endmacro %}
