{#
    dbt's built-in `unique` (NULLs are not keys), with the option of `unique_combination_of_columns`
    to look only at the keys of the rows a build can have added or changed (`recomputed_by`, a
    date column of `recomputed_grain` 'month' or 'day'; `recomputed_date_of`, see duplicated_keys).
    Defined here, it takes the built-in's place for every model of the project.
#}
{% test unique(model, column_name, recomputed_by=none, recomputed_grain='month', recomputed_date_of=none) %}

{{ duplicated_keys(model, [column_name], recomputed_by, nulls_are_keys=false, recomputed_grain=recomputed_grain, recomputed_date_of=recomputed_date_of) }}

{% endtest %}
