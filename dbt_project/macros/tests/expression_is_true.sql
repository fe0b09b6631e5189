{#
    Every row satisfies a SQL boolean expression. Given on a column, the expression is appended
    to the column's name (`expression: ">= 0"`); given on a model, it stands alone.
#}
{% test expression_is_true(model, expression, column_name=none) %}

{%- set condition = expression if column_name is none else column_name ~ ' ' ~ expression -%}

with

failing_rows as (

    select *
    from {{ model }}
    where not ({{ condition }})

)

select * from failing_rows

{% endtest %}
