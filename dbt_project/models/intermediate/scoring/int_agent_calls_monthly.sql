{#
    Call handling per agent and month, rolled up from the agent's days. Averages are taken over
    the month's handled legs, not averaged over days.
#}

with

agent_call_days as (

    select * from {{ ref('int_agent_calls_daily') }}

),

dated as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'call_date') }} as {{ type_date() }}) as month,
        handled_calls,
        inbound_handled,
        outbound_handled,
        talk_seconds,
        hold_seconds,
        wrap_seconds,
        handle_seconds,
        outbound_dialled,
        outbound_answered,
        fcr_resolved_calls,
        fcr_decidable_calls

    from agent_call_days

),

monthly as (

    select
        agent_id,
        month,
        sum(handled_calls) as handled_calls,
        sum(inbound_handled) as inbound_handled,
        sum(outbound_handled) as outbound_handled,
        sum(talk_seconds) as talk_seconds,
        sum(hold_seconds) as hold_seconds,
        sum(wrap_seconds) as wrap_seconds,
        sum(handle_seconds) as call_handle_seconds,
        sum(outbound_dialled) as outbound_dialled,
        sum(outbound_answered) as outbound_answered,
        sum(fcr_resolved_calls) as fcr_resolved_calls,
        sum(fcr_decidable_calls) as fcr_decidable_calls

    from dated
    group by agent_id, month

),

final as (

    select
        *,
        call_handle_seconds * 1.0 / nullif(handled_calls, 0) as aht_seconds,
        talk_seconds * 1.0 / nullif(handled_calls, 0) as avg_talk_seconds,
        wrap_seconds * 1.0 / nullif(handled_calls, 0) as avg_wrap_seconds,
        fcr_resolved_calls * 1.0 / nullif(fcr_decidable_calls, 0) as fcr_rate,
        outbound_answered * 1.0 / nullif(outbound_dialled, 0) as outbound_connect_rate

    from monthly

)

select * from final
