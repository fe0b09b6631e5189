{#
    No two rows share the same values in all of the listed columns: the test of a compound key.
    With `recomputed_by` (see `duplicated_keys`), an incremental build looks only at the
    keys of the rows it can have added or changed; with `key_decides_date` too, only at those rows.
#}
{% test unique_combination_of_columns(model, combination_of_columns, recomputed_by=none, key_decides_date=false, recomputed_grain='month') %}

{{ duplicated_keys(model, combination_of_columns, recomputed_by, key_decides_date=key_decides_date, recomputed_grain=recomputed_grain) }}

{% endtest %}
