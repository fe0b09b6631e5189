{#
    Read by the daily and the monthly agent marts: materialized so the per-leg join to the FCR
    statuses runs once per build, not once per reader. Incremental by day: a day's totals are
    its own legs', so only the recomputed days' legs are joined (their FCR statuses are of the
    same days, recomputed before).
#}

{{ config(materialized='incremental', **recomputed_by('call_date', 'day')) }}

{%- set measures = [
    'handled_calls', 'inbound_handled', 'outbound_handled',
    'talk_seconds', 'hold_seconds', 'wrap_seconds', 'handle_seconds',
    'outbound_dialled', 'outbound_answered', 'fcr_resolved_calls', 'fcr_decidable_calls',
] %}

with

calls as (

    select * from {{ ref('int_calls_classified') }}

),

first_call_resolution as (

    select * from {{ ref('int_calls_fcr') }}
    where {{ is_recomputed('call_date', 'day') }}

),

agent_legs as (

    -- The legs that are an agent's work: the calls they handled and every number they dialled,
    -- each as its contribution to the day's totals.
    select
        calls.agent_id,
        calls.call_date,
        calls.is_handled as handled_calls,
        case when calls.direction = 'inbound' then calls.is_handled else 0 end as inbound_handled,
        case when calls.direction = 'outbound' then calls.is_handled else 0 end as outbound_handled,
        calls.talk_seconds * calls.is_handled as talk_seconds,
        calls.hold_seconds * calls.is_handled as hold_seconds,
        calls.wrap_seconds * calls.is_handled as wrap_seconds,
        calls.handle_seconds * calls.is_handled as handle_seconds,
        case when calls.direction = 'outbound' then 1 else 0 end as outbound_dialled,
        case when calls.direction = 'outbound' then calls.is_handled else 0 end as outbound_answered,
        coalesce(first_call_resolution.is_first_call_resolved, 0) as fcr_resolved_calls,
        coalesce(first_call_resolution.is_fcr_decidable, 0) as fcr_decidable_calls
    from calls
    left join first_call_resolution
        on calls.call_id = first_call_resolution.call_id
    where calls.agent_id is not null
        and (calls.is_handled = 1 or calls.direction = 'outbound')
        and {{ is_recomputed('calls.call_date', 'day', date_of=['calls.answered_at', 'calls.enqueued_at']) }}

),

daily as (

    -- Cast: plain integers on every engine (DuckDB sums to a 128-bit integer).
    select
        agent_id,
        call_date,
        {%- for measure in measures %}
        cast(sum({{ measure }}) as {{ dbt.type_bigint() }}) as {{ measure }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from agent_legs
    group by agent_id, call_date

)

select * from daily
