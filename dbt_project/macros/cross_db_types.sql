{#
    dbt ships `dbt.type_*` for strings, numbers, timestamps and booleans but not for dates and
    times of day; these complete the set so staging casts stay engine-neutral and each engine
    can override them with a `<adapter>__type_date` macro.
#}
{% macro type_date() -%}
    {{ return(adapter.dispatch('type_date', 'ccw')()) }}
{%- endmacro %}

{% macro default__type_date() -%}
    date
{%- endmacro %}

{% macro type_time() -%}
    {{ return(adapter.dispatch('type_time', 'ccw')()) }}
{%- endmacro %}

{% macro default__type_time() -%}
    time
{%- endmacro %}
