{{ config(materialized='incremental', **recomputed_by('activity_date', 'day')) }}

{#
    Time on the ACD per agent and day. Sessions and state intervals are cut at midnight so each
    day gets the seconds that fell in it; a busy (示忙) interval longer than the limit is one
    violation on the date it started, however it is cut.

    Incremental by day: the recomputed days get their pieces of the intervals that end on or
    after the first of them; the earlier days such an interval spans keep their rows.
#}

{%- set busy_limit_seconds = policy('acd.busy_limit_minutes') * 60 %}

with

sessions as (

    select * from {{ ref('int_agent_sessions') }}

),

states as (

    select * from {{ ref('stg_telephony__states') }}

),

intervals as (

    select
        agent_id,
        'logged_in' as activity,
        login_at as started_at,
        effective_logout_at as ended_at
    from sessions

    union all

    select
        agent_id,
        state as activity,
        started_at,
        ended_at
    from states
    where state in ('on_call', 'wrap', 'available', 'busy')

),

bounded_intervals as (

    select
        agent_id,
        activity,
        started_at,
        ended_at,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }} as interval_seconds,
        cast(cast(started_at as {{ type_date() }}) as {{ dbt.type_timestamp() }}) as start_day_at
    from intervals
    where {{ is_on_or_after_recompute_start('ended_at', 'day') }}

),

digits as (

    select 0 as digit union all select 1 union all select 2 union all select 3
    union all select 4 union all select 5 union all select 6 union all select 7
    union all select 8 union all select 9

),

later_day_offsets as (

    -- Days after the first that an interval can reach; a session of more than 99 days is a
    -- broken export, not a login.
    select tens.digit * 10 + units.digit as day_offset
    from digits as tens
    cross join digits as units
    where tens.digit * 10 + units.digit > 0

),

first_day_pieces as (

    select
        agent_id,
        activity,
        interval_seconds,
        0 as day_offset,
        start_day_at as day_start_at,
        started_at as piece_started_at,
        case
            when ended_at < {{ dbt.dateadd('day', 1, 'start_day_at') }} then ended_at
            else {{ dbt.dateadd('day', 1, 'start_day_at') }}
        end as piece_ended_at
    from bounded_intervals

),

later_day_pieces as (

    -- Only the few intervals that cross midnight reach this join.
    select
        crossing.agent_id,
        crossing.activity,
        crossing.interval_seconds,
        later_day_offsets.day_offset,
        {{ dbt.dateadd('day', 'later_day_offsets.day_offset', 'crossing.start_day_at') }} as day_start_at,
        {{ dbt.dateadd('day', 'later_day_offsets.day_offset', 'crossing.start_day_at') }} as piece_started_at,
        case
            when crossing.ended_at
                < {{ dbt.dateadd('day', 'later_day_offsets.day_offset + 1', 'crossing.start_day_at') }}
                then crossing.ended_at
            else {{ dbt.dateadd('day', 'later_day_offsets.day_offset + 1', 'crossing.start_day_at') }}
        end as piece_ended_at
    from bounded_intervals as crossing
    cross join later_day_offsets
    where crossing.ended_at > {{ dbt.dateadd('day', 1, 'crossing.start_day_at') }}
        and {{ dbt.dateadd('day', 'later_day_offsets.day_offset', 'crossing.start_day_at') }} < crossing.ended_at

),

day_pieces as (

    select
        agent_id,
        activity,
        interval_seconds,
        day_offset,
        cast(day_start_at as {{ type_date() }}) as activity_date,
        {{ dbt.datediff('piece_started_at', 'piece_ended_at', 'second') }} as piece_seconds
    from first_day_pieces

    union all

    select
        agent_id,
        activity,
        interval_seconds,
        day_offset,
        cast(day_start_at as {{ type_date() }}) as activity_date,
        {{ dbt.datediff('piece_started_at', 'piece_ended_at', 'second') }} as piece_seconds
    from later_day_pieces

),

daily as (

    select
        agent_id,
        activity_date,
        sum(case when activity = 'logged_in' then piece_seconds else 0 end) as logged_in_seconds,
        sum(case when activity in ('on_call', 'wrap') then piece_seconds else 0 end) as handle_seconds,
        sum(case when activity = 'available' then piece_seconds else 0 end) as available_seconds,
        sum(case when activity = 'busy' then piece_seconds else 0 end) as busy_seconds,
        sum(
            case
                when activity = 'busy' and day_offset = 0 and interval_seconds > {{ busy_limit_seconds }}
                    then 1
                else 0
            end
        ) as busy_violations
    from day_pieces
    group by agent_id, activity_date

)

select * from daily
where {{ is_recomputed('activity_date', 'day') }}
