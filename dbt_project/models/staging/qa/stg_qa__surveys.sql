with

source as (

    select * from {{ source('qa', 'surveys') }}

),

renamed as (

    select
        cast(survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(call_id as {{ dbt.type_string() }}) as call_id,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(score as {{ dbt.type_bigint() }}) as score,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
