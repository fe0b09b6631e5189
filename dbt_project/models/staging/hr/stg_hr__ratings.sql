with

source as (

    select * from {{ source('hr', 'ratings') }}

),

renamed as (

    select
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(month as {{ type_date() }}) as month,
        cast(rater_id as {{ dbt.type_string() }}) as rater_id,
        cast(communication as {{ dbt.type_numeric() }}) as communication,
        cast(problem_solving as {{ dbt.type_numeric() }}) as problem_solving,
        cast(learning as {{ dbt.type_numeric() }}) as learning,
        cast(teamwork as {{ dbt.type_numeric() }}) as teamwork,
        cast(responsibility as {{ dbt.type_numeric() }}) as responsibility,
        cast(service_attitude as {{ dbt.type_numeric() }}) as service_attitude,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
