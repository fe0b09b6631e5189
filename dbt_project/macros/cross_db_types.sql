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


{#- Any text as a string literal: dbt's `string_literal` leaves quotes inside it as they are. -#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'ccw')(value)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- Spark reads two quotes in a row as two literals run together, and escapes with a backslash. -#}
{% macro spark__text_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
