{#
    Incremental rebuilds. The runner passes `recompute_from` (the first day of the earliest month
    that new or corrected extracts can change) and `recompute_from_day` (the earliest day in it
    they can change); an incremental model deletes its rows from that month, or that day, on and
    inserts them again, leaving earlier ones untouched. A backfill also passes `recompute_until`
    (exclusive), so that only the months asked for are recomputed. Without them, or on a first
    or --full-refresh build, the whole table is rebuilt.

    `ccw` passes them in the environment (CCW_RECOMPUTE_FROM, CCW_RECOMPUTE_FROM_DAY,
    CCW_RECOMPUTE_UNTIL); a bare dbt call may pass them as vars of the same names instead.

    Every macro takes the grain of the date column it bounds: 'month' (the default) for a
    month's first day, 'day' for a day. A day column may be bounded by month, which recomputes
    more days than needed; a month column bounded by day would skip the first month.

    In a model kept by month:
        {{ config(materialized='incremental', **recomputed_by('month')) }}
        ... where {{ is_recomputed('month') }}
    In a model kept by day:
        {{ config(materialized='incremental', **recomputed_by('work_date', 'day')) }}
        ... where {{ is_recomputed('work_date', 'day') }}
    Of a date computed from timestamps (a call leg's, of its answer or else its queue time), name
    them too, so that the engine can skip older rows unread (see `recomputed_timestamps`):
        ... where {{ is_recomputed('call_date', 'day', date_of=['answered_at', 'enqueued_at']) }}
#}

{#-
    Read only when nodes run, never while dbt parses: vars are part of what dbt's partial parsing
    compares, so bounds that change from run to run would make every run parse the whole project.
-#}
{% macro recompute_bound(name) %}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(var(name, none) or env_var('CCW_' ~ (name | upper), '') or none) -}}
{% endmacro %}


{% macro recompute_from(grain='month') %}
    {%- if grain == 'day' -%}
        {{- return(recompute_bound('recompute_from_day') or recompute_bound('recompute_from')) -}}
    {%- elif grain == 'month' -%}
        {{- return(recompute_bound('recompute_from')) -}}
    {%- endif -%}
    {{- exceptions.raise_compiler_error("a recomputed column's grain is 'month' or 'day', not '" ~ grain ~ "'") -}}
{% endmacro %}


{% macro recompute_until() %}
    {{- return(recompute_bound('recompute_until')) -}}
{% endmacro %}


{% macro recompute_start_bound(column, column_type, grain) %}
    {{- return(column ~ " >= cast('" ~ recompute_from(grain) ~ "' as " ~ column_type ~ ")") -}}
{% endmacro %}


{% macro recomputed_range(date_column, grain='month', date_of=none) %}
    {%- set bounds = [recompute_start_bound(date_column, type_date(), grain)] -%}
    {%- if recompute_until() -%}
        {%- do bounds.append(date_column ~ " < cast('" ~ recompute_until() ~ "' as " ~ type_date() ~ ")") -%}
    {%- endif -%}
    {%- if date_of -%}
        {%- do bounds.append(recomputed_timestamps(date_of, grain)) -%}
    {%- endif -%}
    {{- return(bounds | join(' and ')) -}}
{% endmacro %}


{% macro is_rebuilding_incrementally() %}
    {#- A unit test has no target table (`this` is none): it always sees a full build. -#}
    {{- return(this is not none and is_incremental()) -}}
{% endmacro %}


{% macro is_recomputed(date_column, grain='month', date_of=none) %}
    {%- if is_rebuilding_incrementally() and recompute_from() -%}
        {{ recomputed_range(date_column, grain, date_of) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}


{#- Rows whose timestamp is on or after the first recomputed day: what a recomputed row can depend on. -#}
{% macro is_on_or_after_recompute_start(timestamp_column, grain='month') %}
    {%- if is_rebuilding_incrementally() and recompute_from() -%}
        {{ recompute_start_bound(timestamp_column, dbt.type_timestamp(), grain) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}


{#-
    The same rows as `is_recomputed` of a date column that is the day or month of `timestamp_column`,
    said of the timestamp itself: DuckDB skips the row groups of a table whose times are all
    outside the range, where a date computed from them must be read to be compared.
-#}
{% macro is_recomputed_at(timestamp_column, grain='month') %}
    {%- if is_rebuilding_incrementally() and recompute_from() -%}
        {{ recompute_start_bound(timestamp_column, dbt.type_timestamp(), grain) }}
        {%- if recompute_until() %} and {{ timestamp_column }} < cast('{{ recompute_until() }}' as {{ dbt.type_timestamp() }}){% endif -%}
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}


{% macro delete_recomputed_rows(date_column, grain='month') %}
    {%- if is_rebuilding_incrementally() -%}
        delete from {{ this }}
        {%- if recompute_from() %} where {{ recomputed_range(date_column, grain) }}{% endif %}
    {%- endif -%}
{% endmacro %}


{#
    How an incremental model replaces the rows of the recomputed range, per engine. DuckDB deletes
    them before appending. Spark's parquet tables cannot delete rows: the table is partitioned by
    the same date column and each partition the model selects is overwritten whole (dynamic
    partition overwrite), which replaces the same range.
#}
{% macro recomputed_by(date_column, grain='month') %}
    {{- return(adapter.dispatch('recomputed_by', 'ccw')(date_column, grain)) -}}
{% endmacro %}

{% macro default__recomputed_by(date_column, grain) %}
    {{- return({
        'incremental_strategy': 'append',
        'pre_hook': "{{ delete_recomputed_rows('" ~ date_column ~ "', '" ~ grain ~ "') }}",
    }) -}}
{% endmacro %}

{% macro spark__recomputed_by(date_column, grain) %}
    {{- return({
        'incremental_strategy': 'insert_overwrite',
        'file_format': 'parquet',
        'partition_by': [date_column],
    }) -}}
{% endmacro %}


{#-
    In a test: the rows a build can have added or changed, those of the recomputed days (from the
    first on, or a backfill's range); every row when there is no such day. `date_of` as in
    `is_recomputed`.
-#}
{% macro changed_by_this_build(date_column, grain='month', date_of=none) %}
    {%- if date_column and recompute_from() -%}
        {{ recomputed_range(date_column, grain, date_of) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}


{#-
    The recomputed range of a computed date (a call leg's date, that of its answer or else of its
    queue time) bounds the timestamps it is the date of: a row on or after the first recomputed day
    has one of them on or after it. The engine checks such a bound against the range it keeps of
    each column per row group, skipping older rows unread; the date must first be computed for
    every row before it can be compared.
-#}
{% macro recomputed_timestamps(timestamp_columns, grain) %}
    {%- set bounds = [] -%}
    {%- for column in timestamp_columns -%}
        {%- do bounds.append(recompute_start_bound(column, dbt.type_timestamp(), grain)) -%}
    {%- endfor -%}
    {{- return('(' ~ bounds | join(' or ') ~ ')') -}}
{% endmacro %}
