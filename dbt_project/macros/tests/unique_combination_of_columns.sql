{#
    No two rows share the same values in all of the listed columns: the test of a compound key.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set key_columns = combination_of_columns | join(', ') -%}

with

duplicated_keys as (

    select
        {{ key_columns }},
        count(*) as row_count
    from {{ model }}
    group by {{ key_columns }}
    having count(*) > 1

)

select * from duplicated_keys

{% endtest %}
