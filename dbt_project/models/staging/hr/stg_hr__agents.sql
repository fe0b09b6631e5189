with

source as (

    select * from {{ source('hr', 'agents') }}

),

renamed as (

    select
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(tier as {{ dbt.type_string() }}) as tier,
        cast(role as {{ dbt.type_string() }}) as role,
        cast(supervisor_id as {{ dbt.type_string() }}) as supervisor_id,
        cast(hire_date as {{ type_date() }}) as hire_date,
        cast(probation_end_date as {{ type_date() }}) as probation_end_date,
        cast(termination_date as {{ type_date() }}) as termination_date,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
