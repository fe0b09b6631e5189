{#
    Call monitoring (监听) per agent and month of evaluated_at.
#}

with

evaluations as (

    select * from {{ ref('stg_qa__evaluations') }}

),

dated as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'evaluated_at') }} as {{ type_date() }}) as month,
        score,
        case when answer_accurate then 1 else 0 end as is_answer_accurate,
        case when fatal_error then 1 else 0 end as is_fatal_error

    from evaluations

),

monthly as (

    select
        agent_id,
        month,
        count(*) as qa_evaluations,
        avg(score) as qa_score,
        -- An evaluation that did not record accuracy counts as not accurate: the rate is out of
        -- every evaluation, as the QA metric defines it.
        sum(is_answer_accurate) * 1.0 / count(*) as answer_accuracy_rate,
        sum(is_fatal_error) as fatal_errors

    from dated
    group by agent_id, month

)

select * from monthly
