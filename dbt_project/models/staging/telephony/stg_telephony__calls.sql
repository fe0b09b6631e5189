with

source as (

    select * from {{ source('telephony', 'calls') }}

),

renamed as (

    select
        cast(call_id as {{ dbt.type_string() }}) as call_id,
        cast(parent_call_id as {{ dbt.type_string() }}) as parent_call_id,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(queue as {{ dbt.type_string() }}) as queue,
        cast(customer_number_hash as {{ dbt.type_string() }}) as customer_number_hash,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(enqueued_at as {{ dbt.type_timestamp() }}) as enqueued_at,
        cast(answered_at as {{ dbt.type_timestamp() }}) as answered_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(talk_seconds as {{ dbt.type_bigint() }}) as talk_seconds,
        cast(hold_seconds as {{ dbt.type_bigint() }}) as hold_seconds,
        cast(wrap_seconds as {{ dbt.type_bigint() }}) as wrap_seconds,
        cast(outcome as {{ dbt.type_string() }}) as outcome,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
