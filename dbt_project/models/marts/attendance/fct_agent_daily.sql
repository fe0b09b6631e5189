{{ config(materialized='incremental', **recomputed_by('work_date', 'day')) }}

with

scheduled_days as (

    select * from {{ ref('int_agent_days_classified') }}

),

calls_daily as (

    select * from {{ ref('int_agent_calls_daily') }}

),

acd_daily as (

    select * from {{ ref('int_agent_acd_daily') }}

),

final as (

    select
        scheduled_days.agent_id,
        scheduled_days.work_date,
        scheduled_days.month,
        scheduled_days.team,
        scheduled_days.shift_start,
        scheduled_days.shift_end,
        scheduled_days.shift_start_at,
        scheduled_days.shift_end_at,
        scheduled_days.expected_login_at,
        scheduled_days.first_login,
        scheduled_days.last_logout,
        scheduled_days.session_count,
        scheduled_days.has_open_session,
        scheduled_days.day_status,
        scheduled_days.absence_reason,
        scheduled_days.late_minutes,
        scheduled_days.early_minutes,
        scheduled_days.is_late,
        scheduled_days.is_early_leave,
        coalesce(calls_daily.handled_calls, 0) as handled_calls,
        coalesce(acd_daily.logged_in_seconds, 0) as logged_in_seconds,
        coalesce(acd_daily.handle_seconds, 0) as handle_seconds,
        coalesce(acd_daily.available_seconds, 0) as available_seconds,
        coalesce(acd_daily.busy_seconds, 0) as busy_seconds,
        coalesce(acd_daily.busy_violations, 0) as busy_violations
    from scheduled_days
    left join calls_daily
        on scheduled_days.agent_id = calls_daily.agent_id
        and scheduled_days.work_date = calls_daily.call_date
    left join acd_daily
        on scheduled_days.agent_id = acd_daily.agent_id
        and scheduled_days.work_date = acd_daily.activity_date

)

select * from final
where {{ is_recomputed('work_date', 'day') }}
