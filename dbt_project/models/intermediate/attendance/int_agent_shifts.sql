{#
    What each scheduled day expects of the agent: the shift as local timestamps, the expected
    login and the team the agent was in on that date.
#}

with

schedules as (

    select * from {{ ref('stg_hr__schedules') }}

),

roster_versions as (

    select * from {{ ref('int_agent_roster_versions') }}

),

shift_clock as (

    select
        agent_id,
        shift_date,
        shift_start,
        shift_end,
        cast(shift_date as {{ dbt.type_timestamp() }}) as shift_day_at,
        extract(hour from shift_start) * 3600
            + extract(minute from shift_start) * 60
            + extract(second from shift_start) as start_second_of_day,
        extract(hour from shift_end) * 3600
            + extract(minute from shift_end) * 60
            + extract(second from shift_end) as end_second_of_day
    from schedules

),

shift_bounds as (

    select
        agent_id,
        shift_date,
        shift_start,
        shift_end,
        {{ dbt.dateadd('second', 'start_second_of_day', 'shift_day_at') }} as shift_start_at,
        -- A shift that ends earlier in the day than it starts ends on the next date.
        {{ dbt.dateadd(
            'second',
            'case when end_second_of_day < start_second_of_day then end_second_of_day + 86400
                else end_second_of_day end',
            'shift_day_at'
        ) }} as shift_end_at
    from shift_clock

),

agent_first_versions as (

    select
        agent_id,
        min(valid_from) as first_valid_from
    from roster_versions
    group by agent_id

),

dated_versions as (

    select
        roster_versions.agent_id,
        roster_versions.team,
        roster_versions.valid_from,
        roster_versions.valid_to,
        case
            when roster_versions.valid_from = agent_first_versions.first_valid_from then 1 else 0
        end as is_first_version
    from roster_versions
    inner join agent_first_versions
        on roster_versions.agent_id = agent_first_versions.agent_id

),

shifts_with_team as (

    -- The team on a date is the newest snapshot on or before it. A shift dated before the
    -- agent's first snapshot (the roster started being kept after the schedule) takes the
    -- earliest team known rather than none.
    select
        shift_bounds.agent_id,
        shift_bounds.shift_date,
        shift_bounds.shift_start,
        shift_bounds.shift_end,
        shift_bounds.shift_start_at,
        shift_bounds.shift_end_at,
        {{ dbt.dateadd(
            'minute',
            -1 * policy('attendance.expected_login_lead_minutes'),
            'shift_bounds.shift_start_at'
        ) }} as expected_login_at,
        dated_versions.team
    from shift_bounds
    left join dated_versions
        on shift_bounds.agent_id = dated_versions.agent_id
        and (dated_versions.valid_from <= shift_bounds.shift_date or dated_versions.is_first_version = 1)
        and (dated_versions.valid_to is null or shift_bounds.shift_date < dated_versions.valid_to)

)

select * from shifts_with_team
