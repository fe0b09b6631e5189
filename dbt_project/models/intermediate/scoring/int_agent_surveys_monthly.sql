{#
    Post-call satisfaction (满意度) per agent and month of responded_at.
#}

with

surveys as (

    select * from {{ ref('stg_qa__surveys') }}

),

dated as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'responded_at') }} as {{ type_date() }}) as month,
        case
            when score >= {{ policy('quality.csat_satisfied_min_score') }} then 1 else 0
        end as is_satisfied

    from surveys

),

monthly as (

    select
        agent_id,
        month,
        count(*) as surveys,
        sum(is_satisfied) as satisfied_surveys,
        sum(is_satisfied) * 1.0 / count(*) as csat_rate

    from dated
    group by agent_id, month

)

select * from monthly
