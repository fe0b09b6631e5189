{#
    Attendance per agent and month, counted from the agent's scheduled days. Late and early days
    are also present days; approved leave stays in the denominator of the attendance rate.
#}

with

agent_days as (

    select * from {{ ref('fct_agent_daily') }}

),

dated as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'work_date') }} as {{ type_date() }}) as month,
        day_status,
        is_late,
        is_early_leave

    from agent_days

),

monthly as (

    select
        agent_id,
        month,
        count(*) as scheduled_days,
        sum(case when day_status = 'present' then 1 else 0 end) as present_days,
        sum(case when day_status = 'on_leave' then 1 else 0 end) as leave_days,
        sum(case when day_status = 'absent' then 1 else 0 end) as absent_days,
        sum(is_late) as late_days,
        sum(is_early_leave) as early_leave_days

    from dated
    group by agent_id, month

),

final as (

    select
        agent_id,
        month,
        scheduled_days,
        present_days,
        leave_days,
        absent_days,
        late_days,
        early_leave_days,
        present_days * 1.0 / scheduled_days as attendance_rate

    from monthly

)

select * from final
