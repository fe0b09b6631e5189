{{ config(materialized='table') }}

{#
    Login sessions on the ACD with the moment each one really ended.

    A session still open when the extract was taken has no logout. The ACD keeps logging the
    agent's states while they are logged in, so an open session is taken to last until the end
    of the last state that started within it (before the agent's next login, and within a day of
    its login): an agent who forgot to log out but worked to the end of the shift did not leave
    early, and one whose state log stops at 15:00 did. An open session with no state in it has
    no evidence of presence beyond its login and ends there.
#}

with

sessions as (

    select * from {{ ref('stg_telephony__sessions') }}

),

states as (

    select * from {{ ref('stg_telephony__states') }}

),

ranked_deliveries as (

    -- A session extracted while open may be delivered again, closed, in a later file: it is
    -- still one session, and its closed, latest delivery describes it.
    select
        agent_id,
        login_at,
        logout_at,
        row_number() over (
            partition by agent_id, login_at
            order by
                case when logout_at is null then 1 else 0 end,
                source_file_date desc,
                source_file_name desc,
                source_line_number desc
        ) as delivery_rank
    from sessions

),

distinct_sessions as (

    select
        agent_id,
        login_at,
        logout_at,
        lead(login_at) over (partition by agent_id order by login_at) as next_login_at
    from ranked_deliveries
    where delivery_rank = 1

),

open_sessions as (

    select
        agent_id,
        login_at,
        next_login_at
    from distinct_sessions
    where logout_at is null

),

open_session_last_states as (

    select
        open_sessions.agent_id,
        open_sessions.login_at,
        max(states.ended_at) as last_state_ended_at
    from open_sessions
    inner join states
        on open_sessions.agent_id = states.agent_id
        and states.started_at >= open_sessions.login_at
        and states.started_at < {{ dbt.dateadd('day', 1, 'open_sessions.login_at') }}
        and (open_sessions.next_login_at is null or states.started_at < open_sessions.next_login_at)
    group by open_sessions.agent_id, open_sessions.login_at

),

final as (

    select
        distinct_sessions.agent_id,
        distinct_sessions.login_at,
        distinct_sessions.logout_at,
        case
            when distinct_sessions.logout_at is not null
                then distinct_sessions.logout_at
            when open_session_last_states.last_state_ended_at is null
                then distinct_sessions.login_at
            when distinct_sessions.next_login_at is not null
                and open_session_last_states.last_state_ended_at > distinct_sessions.next_login_at
                then distinct_sessions.next_login_at
            else open_session_last_states.last_state_ended_at
        end as effective_logout_at,
        case when distinct_sessions.logout_at is null then 1 else 0 end as is_open,
        cast(distinct_sessions.login_at as {{ type_date() }}) as login_date
    from distinct_sessions
    left join open_session_last_states
        on distinct_sessions.agent_id = open_session_last_states.agent_id
        and distinct_sessions.login_at = open_session_last_states.login_at

)

select * from final
