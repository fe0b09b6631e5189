{#
    Monthly incremental rebuilds. The runner passes `recompute_from` (the first day of the
    earliest month that new or corrected extracts can change); an incremental model deletes its
    rows from that date on and inserts them again, leaving earlier months untouched. Without the
    var, or on a first or --full-refresh build, the whole table is rebuilt.

    In a model:
        {{ config(materialized='incremental', incremental_strategy='append',
                  pre_hook="{{ delete_recomputed_rows('work_date') }}") }}
        ... where {{ is_recomputed('work_date') }}
#}

{% macro recompute_from() %}
    {{- return(var('recompute_from', none)) -}}
{% endmacro %}


{% macro is_rebuilding_incrementally() %}
    {#- A unit test has no target table (`this` is none): it always sees a full build. -#}
    {{- return(this is not none and is_incremental()) -}}
{% endmacro %}


{% macro is_recomputed(date_column) %}
    {%- if is_rebuilding_incrementally() and recompute_from() -%}
        {{ date_column }} >= cast('{{ recompute_from() }}' as {{ type_date() }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}


{% macro delete_recomputed_rows(date_column) %}
    {%- if is_rebuilding_incrementally() -%}
        delete from {{ this }}
        {%- if recompute_from() %} where {{ date_column }} >= cast('{{ recompute_from() }}' as {{ type_date() }}){% endif %}
    {%- endif -%}
{% endmacro %}
