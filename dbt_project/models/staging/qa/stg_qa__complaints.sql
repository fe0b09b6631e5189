with

source as (

    select * from {{ source('qa', 'complaints') }}

),

renamed as (

    select
        cast(complaint_id as {{ dbt.type_string() }}) as complaint_id,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(customer_number_hash as {{ dbt.type_string() }}) as customer_number_hash,
        cast(call_id as {{ dbt.type_string() }}) as call_id,
        cast(subject_agent_id as {{ dbt.type_string() }}) as subject_agent_id,
        cast(handler_agent_id as {{ dbt.type_string() }}) as handler_agent_id,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(due_at as {{ dbt.type_timestamp() }}) as due_at,
        cast(first_response_at as {{ dbt.type_timestamp() }}) as first_response_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(resolution as {{ dbt.type_string() }}) as resolution,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
