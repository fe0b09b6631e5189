with

source as (

    select * from {{ source('hr', 'schedules') }}

),

renamed as (

    select
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(shift_date as {{ type_date() }}) as shift_date,
        cast(shift_start as {{ type_time() }}) as shift_start,
        cast(shift_end as {{ type_time() }}) as shift_end,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
