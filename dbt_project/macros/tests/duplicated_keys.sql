{#
    The keys held by more than one row of `model`.

    A test of a large incremental table need not look at every key on every build: the rows
    outside the recomputed days are those the last build kept, whose keys its tests passed.
    Given `recomputed_by` (the model's date column that the recomputed range bounds), only the
    keys of the recomputed rows are looked for, in the whole table: a new row may repeat an old
    one's key. A full build looks at every key. Only for models whose rows outside that range an
    incremental build cannot change: incremental models, and views that make each row of one raw
    row (by its business date, or its file's date). Such a test is given its usual `name`: dbt
    would add the argument to it, and the checks' history is kept by name.
#}
{% macro duplicated_keys(model, key_columns, recomputed_by=none, nulls_are_keys=true) %}

{%- set keys = key_columns | join(', ') -%}

with

duplicated_keys as (

    select
        {{ keys }},
        count(*) as row_count
    from {{ model }}
    where {{ changed_keys_only(model, keys, recomputed_by) }}
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


{% macro changed_keys_only(model, keys, recomputed_by) %}
    {%- if recomputed_by and recompute_from() -%}
        ({{ keys }}) in (
            select {{ keys }} from {{ model }} where {{ changed_by_this_build(recomputed_by) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}
