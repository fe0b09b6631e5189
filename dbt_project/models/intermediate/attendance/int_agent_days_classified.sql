{{ config(materialized='table') }}

{#
    The attendance rules of the regulation, applied to every scheduled day: approved leave first,
    then no login, then late or early by more than the absence threshold, else present (possibly
    late and/or early). Lateness and early leave are whole minutes rounded down, so less than one
    whole minute is tolerated as a minute-resolution clock would.

    A day is judged once the ACD sessions of its date are in: scheduled days after the latest
    login loaded are left out rather than counted as absences that have not happened yet.
#}

{%- set absence_threshold_minutes = policy('attendance.absence_threshold_minutes') %}

with

shifts as (

    select * from {{ ref('int_agent_shifts') }}

),

sessions as (

    select * from {{ ref('int_agent_sessions') }}

),

leave_requests as (

    select * from {{ ref('stg_hr__leave') }}

),

data_horizon as (

    select max(login_date) as last_login_date
    from sessions

),

judged_shifts as (

    select shifts.*
    from shifts
    inner join data_horizon
        on shifts.shift_date <= data_horizon.last_login_date

),

sessions_by_login_date as (

    -- Sessions belong to the date they started on, so a night shift keeps the session that
    -- runs past midnight.
    select
        agent_id,
        login_date,
        count(*) as session_count,
        min(login_at) as first_login,
        max(effective_logout_at) as last_logout,
        max(is_open) as has_open_session
    from sessions
    group by agent_id, login_date

),

approved_leave_days as (

    select distinct
        judged_shifts.agent_id,
        judged_shifts.shift_date
    from judged_shifts
    inner join leave_requests
        on judged_shifts.agent_id = leave_requests.agent_id
        and judged_shifts.shift_date >= leave_requests.start_date
        and judged_shifts.shift_date <= leave_requests.end_date
    where leave_requests.approved = true

),

measured as (

    select
        judged_shifts.agent_id,
        judged_shifts.shift_date as work_date,
        judged_shifts.team,
        judged_shifts.shift_start,
        judged_shifts.shift_end,
        judged_shifts.shift_start_at,
        judged_shifts.shift_end_at,
        judged_shifts.expected_login_at,
        sessions_by_login_date.first_login,
        sessions_by_login_date.last_logout,
        coalesce(sessions_by_login_date.session_count, 0) as session_count,
        coalesce(sessions_by_login_date.has_open_session, 0) as has_open_session,
        case when approved_leave_days.agent_id is not null then 1 else 0 end as is_on_approved_leave,
        {{ dbt.datediff('judged_shifts.shift_start_at', 'sessions_by_login_date.first_login', 'second') }}
            as seconds_after_start,
        {{ dbt.datediff('sessions_by_login_date.last_logout', 'judged_shifts.shift_end_at', 'second') }}
            as seconds_before_end
    from judged_shifts
    left join sessions_by_login_date
        on judged_shifts.agent_id = sessions_by_login_date.agent_id
        and judged_shifts.shift_date = sessions_by_login_date.login_date
    left join approved_leave_days
        on judged_shifts.agent_id = approved_leave_days.agent_id
        and judged_shifts.shift_date = approved_leave_days.shift_date

),

in_whole_minutes as (

    select
        *,
        case
            when seconds_after_start > 0
                then cast(floor(seconds_after_start / 60.0) as {{ dbt.type_bigint() }})
            when seconds_after_start is not null
                then 0
        end as late_minutes,
        case
            when seconds_before_end > 0
                then cast(floor(seconds_before_end / 60.0) as {{ dbt.type_bigint() }})
            when seconds_before_end is not null
                then 0
        end as early_minutes
    from measured

),

classified as (

    select
        *,
        case
            when is_on_approved_leave = 1 then 'on_leave'
            when first_login is null then 'absent'
            when late_minutes > {{ absence_threshold_minutes }} then 'absent'
            when early_minutes > {{ absence_threshold_minutes }} then 'absent'
            else 'present'
        end as day_status,
        case
            when is_on_approved_leave = 1 then null
            when first_login is null then 'no_login'
            when late_minutes > {{ absence_threshold_minutes }} then 'late_beyond_limit'
            when early_minutes > {{ absence_threshold_minutes }} then 'early_beyond_limit'
        end as absence_reason
    from in_whole_minutes

),

final as (

    select
        agent_id,
        work_date,
        cast({{ dbt.date_trunc('month', 'work_date') }} as {{ type_date() }}) as month,
        team,
        shift_start,
        shift_end,
        shift_start_at,
        shift_end_at,
        expected_login_at,
        first_login,
        last_logout,
        session_count,
        has_open_session,
        day_status,
        absence_reason,
        late_minutes,
        early_minutes,
        case when day_status = 'present' and late_minutes > 0 then 1 else 0 end as is_late,
        case when day_status = 'present' and early_minutes > 0 then 1 else 0 end as is_early_leave
    from classified

)

select * from final
