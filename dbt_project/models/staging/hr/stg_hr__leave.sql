with

source as (

    select * from {{ source('hr', 'leave') }}

),

renamed as (

    select
        cast(leave_id as {{ dbt.type_string() }}) as leave_id,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(leave_type as {{ dbt.type_string() }}) as leave_type,
        cast(start_date as {{ type_date() }}) as start_date,
        cast(end_date as {{ type_date() }}) as end_date,
        cast(approved as {{ dbt.type_boolean() }}) as approved,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
