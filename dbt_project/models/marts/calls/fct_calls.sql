{{ config(materialized='incremental', **recomputed_by('call_date', 'day')) }}

with

calls as (

    select * from {{ ref('int_calls_classified') }}

),

first_call_resolution as (

    -- A leg's status is of the leg's own day.
    select * from {{ ref('int_calls_fcr') }}
    where {{ is_recomputed('call_date', 'day') }}

),

final as (

    select
        calls.call_id,
        calls.parent_call_id,
        calls.direction,
        calls.queue,
        calls.customer_number_hash,
        calls.agent_id,
        calls.enqueued_at,
        calls.answered_at,
        calls.ended_at,
        calls.call_date,
        calls.month,
        calls.enqueued_date,
        calls.talk_seconds,
        calls.hold_seconds,
        calls.wrap_seconds,
        calls.handle_seconds,
        calls.wait_seconds,
        calls.outcome,
        calls.is_offered,
        calls.is_answered,
        calls.is_abandoned,
        calls.is_handled,
        first_call_resolution.fcr_status,
        coalesce(first_call_resolution.is_fcr_decidable, 0) as is_fcr_decidable,
        coalesce(first_call_resolution.is_first_call_resolved, 0) as is_first_call_resolved,
        calls.source_file_name,
        calls.source_line_number
    from calls
    left join first_call_resolution
        on calls.call_id = first_call_resolution.call_id

)

select * from final
where {{ is_recomputed('call_date', 'day', date_of=['answered_at', 'enqueued_at']) }}
