with

source as (

    select * from {{ source('qa', 'evaluations') }}

),

renamed as (

    select
        cast(evaluation_id as {{ dbt.type_string() }}) as evaluation_id,
        cast(call_id as {{ dbt.type_string() }}) as call_id,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(evaluator_id as {{ dbt.type_string() }}) as evaluator_id,
        cast(evaluated_at as {{ dbt.type_timestamp() }}) as evaluated_at,
        cast(mode as {{ dbt.type_string() }}) as mode,
        cast(score as {{ dbt.type_numeric() }}) as score,
        cast(answer_accurate as {{ dbt.type_boolean() }}) as answer_accurate,
        cast(fatal_error as {{ dbt.type_boolean() }}) as fatal_error,
        cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
        cast(_file_date as {{ type_date() }}) as source_file_date,
        cast(_line_number as {{ dbt.type_bigint() }}) as source_line_number

    from source

)

select * from renamed
