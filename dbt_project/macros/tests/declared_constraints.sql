{#
    Every row keeps the constraints its model's yml declares, in dbt's words:

        constraints:
          - {type: check, expression: "shift_end_at >= shift_start_at"}
        columns:
          - name: late_minutes
            constraints: [{type: not_null}, {type: check, expression: "late_minutes >= 0"}]

    A `not_null` column has a value in every row; a `check` expression, of the model or of a
    column, is not false in any row (NULL passes, as in SQL's CHECK: pair it with not_null when the
    column is required). One query per model, where a test per column and rule would be a dbt node
    each (a node costs tens of milliseconds before its query runs, and a view is computed again by
    each). Without an enforced contract, dbt and the engine take constraints as documentation
    only: this test is what enforces them. A failing row comes back whole, with the constraints it
    breaks in `broken_constraints`: the names of its NULL columns and the expressions it fails.

    Given `recomputed_by` (and `recomputed_grain`, and `recomputed_date_of`), as the key tests of
    duplicated_keys.sql are, only the rows a build can have added or changed are read: the others
    passed when their build wrote them. Such a test is given its usual `name`.
#}
{% test declared_constraints(model, recomputed_by=none, recomputed_grain='month', recomputed_date_of=none) %}

{%- set rules = declared_rules(model) if execute else [] -%}

with

failing_rows as (

    select
        *,
        concat_ws('; '
            {%- for rule in rules %},
            case when {{ rule.broken }} then {{ text_literal(rule.name) }} end
            {%- endfor %}
        ) as broken_constraints
    from {{ model }}
    where {{ changed_by_this_build(recomputed_by, recomputed_grain, recomputed_date_of) }}
        and (
            1 = 0
            {%- for rule in rules %}
            or {{ rule.broken }}
            {%- endfor %}
        )

)

select * from failing_rows

{% endtest %}


{#- Each declared constraint as its name and the condition of a row that breaks it. -#}
{% macro declared_rules(relation) %}
    {%- set tested = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('schema', 'equalto', relation.schema)
        | selectattr('alias', 'equalto', relation.identifier)
        | list -%}
    {%- if tested | length != 1 -%}
        {{ exceptions.raise_compiler_error("declared_constraints: no model found for " ~ relation ~ "; the test reads the whole model, without a `where`") }}
    {%- endif -%}
    {%- set rules = [] -%}
    {%- set checks = tested[0].constraints | list -%}
    {%- for column in tested[0].columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- if constraint.type == 'not_null' -%}
                {%- do rules.append({'name': column.name, 'broken': adapter.quote(column.name) ~ ' is null'}) -%}
            {%- else -%}
                {%- do checks.append(constraint) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in checks if constraint.type == 'check' -%}
        {%- do rules.append({'name': constraint.expression, 'broken': 'not coalesce((' ~ constraint.expression ~ '), true)'}) -%}
    {%- endfor -%}
    {%- if not rules -%}
        {{ exceptions.raise_compiler_error("declared_constraints: " ~ tested[0].name ~ " declares no `not_null` column and no `check` constraint") }}
    {%- endif -%}
    {{- return(rules) -}}
{% endmacro %}
