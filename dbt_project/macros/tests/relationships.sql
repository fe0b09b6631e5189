{#
    dbt's built-in `relationships`: every non-NULL value of the column is a `field` of `to`. With
    `recomputed_by`, an incremental build looks only at the rows it can have added or changed
    (see `duplicated_keys`); every parent is still looked at. Defined here, it takes the
    built-in's place for every model of the project.
#}
{% test relationships(model, column_name, to, field, recomputed_by=none, recomputed_grain='month') %}

with

child as (

    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
        and {{ changed_by_this_build(recomputed_by, recomputed_grain) }}

),

parent as (

    select {{ field }} as to_field
    from {{ to }}

)

select child.from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null

{% endtest %}
