{#
    The one way model SQL reads a number of the scoring policy:
    `{{ policy('fcr.repeat_window_hours') }}` walks the dotted path into the `policy` var, which
    the runner passes with --vars from policy/scoring_policy.yml. A missing var or key stops
    compilation, so a model can never run on a silently absent number.

    Numbers and booleans render as SQL literals; text (e.g. `version_label`) renders unquoted,
    so quote it in SQL: `'{{ policy("version_label") }}'`. Mappings are returned as they are,
    for use in Jinja loops.
#}
{% macro policy(dotted_path) %}
    {%- set settings = var('policy', none) -%}
    {%- if settings is none -%}
        {{ exceptions.raise_compiler_error(
            "The dbt var 'policy' is missing (needed for '" ~ dotted_path ~ "'). Pass the scoring "
            ~ "policy with --vars, as produced by orchestration.lib.policy.dbt_vars(load_policy())."
        ) }}
    {%- endif -%}
    {%- set walk = namespace(node=settings, path=[]) -%}
    {%- for key in dotted_path.split('.') -%}
        {%- set walk.path = walk.path + [key] -%}
        {%- if walk.node is not mapping or key not in walk.node -%}
            {{ exceptions.raise_compiler_error(
                "The scoring policy has no key '" ~ walk.path | join('.') ~ "' (looking up '"
                ~ dotted_path ~ "' in the dbt var 'policy')."
            ) }}
        {%- endif -%}
        {%- set walk.node = walk.node[key] -%}
    {%- endfor -%}
    {{ return(walk.node) }}
{% endmacro %}
