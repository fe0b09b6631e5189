{#-
    `is_recomputed('call_date', 'day')` of call legs, with a bound the engine can push into the
    scan of the legs: a leg counts on the day of coalesce(answered_at, enqueued_at), so the
    recomputed days also bound those two times (see `recomputed_timestamps`).
-#}
{% macro is_recomputed_call_leg(prefix='') %}
    {{- is_recomputed(prefix ~ 'call_date', 'day') -}}
    {%- if is_rebuilding_incrementally() and recompute_from() %}
        and {{ recomputed_timestamps([prefix ~ 'answered_at', prefix ~ 'enqueued_at'], 'day') }}
    {%- endif -%}
{% endmacro %}
