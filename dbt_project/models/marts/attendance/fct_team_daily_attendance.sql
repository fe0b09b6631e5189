{#
    The regulation's daily attendance of a team: agents present over agents scheduled
    (实际工作人数 / 计划工作人数). Agents on approved leave stay scheduled.
#}

{{ config(materialized='incremental', **recomputed_by('work_date', 'day')) }}

with

scheduled_days as (

    select * from {{ ref('int_agent_days_classified') }}

),

team_days as (

    select
        team,
        work_date,
        count(*) as agents_scheduled,
        sum(case when day_status = 'present' then 1 else 0 end) as agents_present,
        sum(case when day_status = 'on_leave' then 1 else 0 end) as agents_on_leave,
        sum(case when day_status = 'absent' then 1 else 0 end) as agents_absent,
        sum(is_late) as agents_late,
        sum(is_early_leave) as agents_early_leave
    from scheduled_days
    group by team, work_date

),

final as (

    select
        team,
        work_date,
        agents_scheduled,
        agents_present,
        agents_on_leave,
        agents_absent,
        agents_late,
        agents_early_leave,
        agents_present * 1.0 / agents_scheduled as attendance_rate
    from team_days

)

select * from final
where {{ is_recomputed('work_date', 'day') }}
