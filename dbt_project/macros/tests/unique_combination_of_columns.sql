{#
    No two rows share the same values in all of the listed columns: the test of a compound key.
    With `recomputed_by` (see `duplicated_keys`), an incremental build looks only at the
    keys of the rows it can have added or changed.
#}
{% test unique_combination_of_columns(model, combination_of_columns, recomputed_by=none) %}

{{ duplicated_keys(model, combination_of_columns, recomputed_by) }}

{% endtest %}
