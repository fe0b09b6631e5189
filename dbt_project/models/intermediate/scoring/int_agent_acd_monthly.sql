{#
    Time on the ACD per agent and month, rolled up from the agent's days (sessions are already
    clipped to the day they fall in, so a month is the sum of its days).
#}

with

agent_acd_days as (

    select * from {{ ref('int_agent_acd_daily') }}

),

dated as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as {{ type_date() }}) as month,
        logged_in_seconds,
        handle_seconds,
        available_seconds,
        busy_violations

    from agent_acd_days

),

monthly as (

    select
        agent_id,
        month,
        sum(logged_in_seconds) as logged_in_seconds,
        sum(handle_seconds) as handle_seconds,
        sum(available_seconds) as available_seconds,
        sum(busy_violations) as busy_violations

    from dated
    group by agent_id, month

),

final as (

    select
        *,
        handle_seconds * 1.0 / nullif(handle_seconds + available_seconds, 0) as occupancy_rate

    from monthly

)

select * from final
