{#
    The one place the call-handling definitions live: what is offered, answered, abandoned and
    handled, how long the caller waited, and which local day and month a leg counts on.
#}

with

calls as (

    select * from {{ ref('stg_telephony__calls') }}

),

classified as (

    select
        call_id,
        parent_call_id,
        direction,
        queue,
        customer_number_hash,
        agent_id,
        enqueued_at,
        answered_at,
        ended_at,
        talk_seconds,
        hold_seconds,
        wrap_seconds,
        talk_seconds + hold_seconds + wrap_seconds as handle_seconds,
        outcome,

        -- A transfer continues a call already offered: only legs without a parent are new offers.
        case
            when direction = 'inbound' and parent_call_id is null then 1 else 0
        end as is_offered,

        case when answered_at is not null then 1 else 0 end as is_answered,

        case
            when outcome = 'abandoned' and answered_at is null then 1 else 0
        end as is_abandoned,

        -- An outbound leg whose callee picked up but never spoke was not answered by a person.
        case
            when agent_id is not null
                and answered_at is not null
                and (direction = 'inbound' or talk_seconds > 0)
                then 1
            else 0
        end as is_handled,

        case
            when answered_at is not null
                then {{ dbt.datediff('enqueued_at', 'answered_at', 'second') }}
        end as wait_seconds,

        -- Timestamps are already the centre's local wall-clock time, so the date needs no shift.
        -- Work is counted when it was done (answered); a leg nobody answered, when it was started.
        cast(coalesce(answered_at, enqueued_at) as {{ type_date() }}) as call_date,
        cast(
            {{ dbt.date_trunc('month', 'coalesce(answered_at, enqueued_at)') }} as {{ type_date() }}
        ) as month,
        cast(enqueued_at as {{ type_date() }}) as enqueued_date,

        source_file_name,
        source_line_number

    from calls

)

select * from classified
