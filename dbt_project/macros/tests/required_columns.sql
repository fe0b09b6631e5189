{#
    No NULL in any column of the model whose yml declares it required:

        columns:
          - name: call_id
            constraints: [{type: not_null}]

    One query per model, where a `not_null` test per column would be a dbt node each (a node costs
    tens of milliseconds before its query runs, and a view is computed again by each). Without an
    enforced contract, dbt and the engine take the constraint as documentation only: this test is
    what enforces it. A failing row comes back whole, with the names of its NULL columns.
#}
{% test required_columns(model) %}

{%- set columns = required_column_names(model) if execute else [] -%}

with

failing_rows as (

    select
        *,
        concat_ws(', '
            {%- for column in columns %},
            case when {{ adapter.quote(column) }} is null then '{{ column }}' end
            {%- endfor %}
        ) as null_columns
    from {{ model }}
    where 1 = 0
        {%- for column in columns %}
        or {{ adapter.quote(column) }} is null
        {%- endfor %}

)

select * from failing_rows

{% endtest %}


{% macro required_column_names(relation) %}
    {%- set tested = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('schema', 'equalto', relation.schema)
        | selectattr('alias', 'equalto', relation.identifier)
        | list -%}
    {%- if tested | length != 1 -%}
        {{ exceptions.raise_compiler_error("required_columns: no model found for " ~ relation ~ "; the test reads the whole model, without a `where`") }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in tested[0].columns.values() -%}
        {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
            {%- do names.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not names -%}
        {{ exceptions.raise_compiler_error("required_columns: " ~ tested[0].name ~ " declares no column `constraints: [{type: not_null}]`") }}
    {%- endif -%}
    {{- return(names) -}}
{% endmacro %}
