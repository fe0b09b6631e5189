{#
    The keys held by more than one row of `model`.

    A test of a large incremental table need not look at every key on every build: the rows
    outside the recomputed days are those the last build kept, whose keys its tests passed.
    Given `recomputed_by` (the model's date column that the recomputed range bounds, of
    `recomputed_grain` 'month' or 'day'; see recompute.sql), only the
    keys of the recomputed rows are looked for, in the whole table: a new row may repeat an old
    one's key. A full build looks at every key. Only for models whose rows outside that range an
    incremental build cannot change: incremental models, and views that make each row of one raw
    row (by its business date, or its file's date). Such a test is given its usual `name`: dbt
    would add the argument to it, and the checks' history is kept by name.

    With `key_decides_date`, rows with the same key have the same `recomputed_by` date (the key
    holds the file's name, and the date is the file's): a key of a recomputed row is held by
    recomputed rows only, and the test looks at those rows alone. `recomputed_date_of` names the
    timestamps a computed `recomputed_by` is the date of, which bound the recomputed rows too
    (see `recomputed_timestamps`).
#}
{% macro duplicated_keys(model, key_columns, recomputed_by=none, nulls_are_keys=true, key_decides_date=false, recomputed_grain='month', recomputed_date_of=none) %}

{%- set keys = key_columns | join(', ') -%}

with

duplicated_keys as (

    select
        {{ keys }},
        count(*) as row_count
    from {{ model }}
    where {{ changed_keys_only(model, keys, recomputed_by, key_decides_date, recomputed_grain, recomputed_date_of) }}
        {%- if not nulls_are_keys %}
        {%- for column in key_columns %}
        and {{ column }} is not null
        {%- endfor %}
        {%- endif %}
    group by {{ keys }}
    having count(*) > 1

)

select * from duplicated_keys

{% endmacro %}


{% macro changed_keys_only(model, keys, recomputed_by, key_decides_date=false, grain='month', date_of=none) %}
    {%- if recomputed_by and recompute_from() and key_decides_date -%}
        {{ changed_by_this_build(recomputed_by, grain, date_of) }}
    {%- elif recomputed_by and recompute_from() -%}
        ({{ keys }}) in (
            select {{ keys }} from {{ model }} where {{ changed_by_this_build(recomputed_by, grain, date_of) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}
