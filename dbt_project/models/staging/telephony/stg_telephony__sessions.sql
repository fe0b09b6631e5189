with

source as (

    select * from {{ source('telephony', 'sessions') }}

),

renamed as (

    select
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(login_at as {{ dbt.type_timestamp() }}) as login_at,
        cast(logout_at as {{ dbt.type_timestamp() }}) as logout_at,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
