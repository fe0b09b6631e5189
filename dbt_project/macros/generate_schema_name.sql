{#
    Custom schemas are used verbatim (`marts`, not `main_marts`): the schema names are the
    warehouse's public interface, read by dashboards and the publication step.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
