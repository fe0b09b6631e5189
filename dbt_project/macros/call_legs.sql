{#-
    `is_recomputed('call_date', 'day')` of call legs, with a bound the engine can push into the
    scan of the legs. A leg counts on the day of coalesce(answered_at, enqueued_at), which must be
    computed for every leg before it can be compared; a leg counted on or after the first
    recomputed day was answered or enqueued on or after it, which DuckDB checks against the
    ranges it keeps of each timestamp column and skips the older legs unread.
-#}
{% macro is_recomputed_call_leg(prefix='') %}
    {{- is_recomputed(prefix ~ 'call_date', 'day') -}}
    {%- if is_rebuilding_incrementally() and recompute_from() %}
        and (
            {{ recompute_start_bound(prefix ~ 'answered_at', dbt.type_timestamp(), 'day') }}
            or {{ recompute_start_bound(prefix ~ 'enqueued_at', dbt.type_timestamp(), 'day') }}
        )
    {%- endif -%}
{% endmacro %}
