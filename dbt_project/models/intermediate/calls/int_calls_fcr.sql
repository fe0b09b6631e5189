{#
    First-call resolution of every inbound handled call (KPIS.md, "First-call resolution").

    For each judged call C we need the first contact with the same customer after C ended:
    the next offered inbound call and the next outbound dial. Instead of joining each call to
    all of its customer's other calls (quadratic for frequent callers), every customer's calls
    become one timeline ordered by time, and a running minimum over the rows that follow C
    gives both moments in one sort.

    Precedence when several statuses apply, first match wins:
      1. undecided     no customer number, or the window reaches past the end of the data.
                       Deciding membership of the denominator by the window alone keeps each
                       day's rate over one settled set of calls: failures known early do not
                       enter it ahead of the successes still waiting for their window to close.
      2. transferred   the leg was passed on (outcome transferred, or a leg names it as parent).
      3. not_resolved  the agent did not record the call as resolved.
      4. repeat        recorded resolved, yet the customer called in again within the window.
      5. callback      recorded resolved, no repeat, yet an outbound call to the customer was
                       dialled within the window.
      6. resolved      first-call resolved.

    Incremental by day: a call's status depends only on the contacts after it and within its
    window, and on the end of the data; the days recomputed (from the first call whose window
    reaches past the earlier of the first new data and the end of the data at the last build)
    need only the contacts from their start to the end of their last call's window.
#}

{{ config(materialized='incremental', **recomputed_by('call_date', 'day')) }}

{#- Each part reads the calls itself: DuckDB materializes a CTE that is read more than once,
    which for every call leg costs more than the reads. -#}

with

end_of_data as (

    select max(enqueued_at) as data_ends_at
    from {{ ref('int_calls_classified') }}

),

judged_calls as (

    select
        call_id,
        agent_id,
        customer_number_hash,
        answered_at,
        ended_at,
        outcome,
        call_date,
        month,
        {{ dbt.dateadd('hour', policy('fcr.repeat_window_hours'), 'ended_at') }}
            as repeat_window_ends_at
    from {{ ref('int_calls_classified') }}
    where direction = 'inbound' and is_handled = 1
        -- A handled call was answered, and counts on the day it was answered.
        and {{ is_recomputed_at('answered_at', 'day') }}

),

transferred_legs as (

    select distinct parent_call_id as call_id
    from {{ ref('int_calls_classified') }}
    where parent_call_id is not null

),

customer_timeline as (

    -- The end of each judged call. At the same instant it sorts after the contacts, because
    -- the window opens strictly after the call ended.
    select
        customer_number_hash,
        ended_at as happened_at,
        1 as order_at_same_instant,
        call_id as judged_call_id,
        cast(null as {{ dbt.type_timestamp() }}) as offered_inbound_at,
        cast(null as {{ dbt.type_timestamp() }}) as outbound_dialled_at
    from judged_calls
    where customer_number_hash is not null

    union all

    -- The start of each contact that can break a call's resolution.
    select
        customer_number_hash,
        enqueued_at as happened_at,
        0 as order_at_same_instant,
        cast(null as {{ dbt.type_string() }}) as judged_call_id,
        case when is_offered = 1 then enqueued_at end as offered_inbound_at,
        case when direction = 'outbound' then enqueued_at end as outbound_dialled_at
    from {{ ref('int_calls_classified') }}
    where customer_number_hash is not null
        and (is_offered = 1 or direction = 'outbound')
        and {{ is_on_or_after_recompute_start('enqueued_at', 'day') }}
        -- A later contact is in no judged call's window: a backfill of past months sorts none of them.
        and enqueued_at <= (select max(repeat_window_ends_at) from judged_calls)

),

next_contacts as (

    select
        judged_call_id as call_id,
        min(offered_inbound_at) over (
            partition by customer_number_hash
            order by happened_at, order_at_same_instant
            rows between 1 following and unbounded following
        ) as next_offered_inbound_at,
        min(outbound_dialled_at) over (
            partition by customer_number_hash
            order by happened_at, order_at_same_instant
            rows between 1 following and unbounded following
        ) as next_outbound_dialled_at
    from customer_timeline

),

judged_with_contacts as (

    select
        judged_calls.*,
        end_of_data.data_ends_at,
        -- Within the window only: what lies past it decides nothing and is not read by every build.
        case
            when next_contacts.next_offered_inbound_at <= judged_calls.repeat_window_ends_at
                then next_contacts.next_offered_inbound_at
        end as next_offered_inbound_at,
        case
            when next_contacts.next_outbound_dialled_at <= judged_calls.repeat_window_ends_at
                then next_contacts.next_outbound_dialled_at
        end as next_outbound_dialled_at,
        case
            when judged_calls.outcome = 'transferred' or transferred_legs.call_id is not null
                then 1
            else 0
        end as is_transferred
    from judged_calls
    cross join end_of_data
    left join next_contacts
        on judged_calls.call_id = next_contacts.call_id
    left join transferred_legs
        on judged_calls.call_id = transferred_legs.call_id

),

statuses as (

    select
        call_id,
        agent_id,
        customer_number_hash,
        answered_at,
        ended_at,
        outcome,
        call_date,
        month,
        repeat_window_ends_at,
        data_ends_at,
        next_offered_inbound_at,
        next_outbound_dialled_at,
        is_transferred,
        case
            when customer_number_hash is null then 'undecided'
            when repeat_window_ends_at > data_ends_at then 'undecided'
            when is_transferred = 1 then 'transferred'
            when outcome != 'resolved' then 'not_resolved'
            when next_offered_inbound_at <= repeat_window_ends_at then 'repeat'
            when next_outbound_dialled_at <= repeat_window_ends_at then 'callback'
            else 'resolved'
        end as fcr_status
    from judged_with_contacts

),

final as (

    select
        *,
        case when fcr_status != 'undecided' then 1 else 0 end as is_fcr_decidable,
        case when fcr_status = 'resolved' then 1 else 0 end as is_first_call_resolved
    from statuses

)

select * from final
