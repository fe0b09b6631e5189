{#
    Complaints seen from the agent's side, per month: the ones the agent handled to an end
    (counted in the month they were resolved) and the ones made about the agent (counted in the
    month they were received). Both roles are stacked and summed, so an agent-month appears when
    either happened.
#}

with

complaints as (

    select * from {{ ref('int_complaints_latest') }}

),

handled as (

    select
        handler_agent_id as agent_id,
        resolved_month as month,
        1 as is_handled,
        is_resolved_on_time,
        is_resolved_successfully,
        0 as is_received

    from complaints
    where is_resolved = 1
        and handler_agent_id is not null

),

received as (

    select
        subject_agent_id as agent_id,
        received_month as month,
        0 as is_handled,
        0 as is_resolved_on_time,
        0 as is_resolved_successfully,
        1 as is_received

    from complaints
    where subject_agent_id is not null

),

agent_roles as (

    select * from handled
    union all
    select * from received

),

monthly as (

    select
        agent_id,
        month,
        sum(is_handled) as complaints_handled,
        sum(is_resolved_on_time) as complaints_resolved_on_time,
        sum(is_resolved_successfully) as complaints_resolved_successfully,
        sum(is_received) as complaints_received

    from agent_roles
    group by agent_id, month

),

final as (

    select
        agent_id,
        month,
        complaints_handled,
        complaints_resolved_on_time,
        complaints_resolved_successfully,
        complaints_resolved_on_time * 1.0 / nullif(complaints_handled, 0) as complaint_timeliness_rate,
        complaints_resolved_successfully * 1.0 / nullif(complaints_handled, 0) as complaint_success_rate,
        complaints_received

    from monthly

)

select * from final
