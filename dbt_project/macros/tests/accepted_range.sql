{#
    Every value lies within [min_value, max_value], ends included; either bound may be left out.
    NULLs pass: pair with not_null when the column is required. To test only some rows, use the
    `where` config every dbt test has (`config: {where: "direction = 'inbound'"}`): dbt applies it
    to the model before this test reads it.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

with

tested_rows as (

    select {{ column_name }} as tested_value
    from {{ model }}

),

out_of_range as (

    select *
    from tested_rows
    where
        1 = 0
        {% if min_value is not none %}
        or tested_value < {{ min_value }}
        {% endif %}
        {% if max_value is not none %}
        or tested_value > {{ max_value }}
        {% endif %}

)

select * from out_of_range

{% endtest %}
