{{ config(materialized='incremental', **recomputed_by('call_date', 'day')) }}

with

offered_calls as (

    select * from {{ ref('int_calls_classified') }}
    -- The queue's days are the days the legs were enqueued.
    where is_offered = 1 and {{ is_recomputed_at('enqueued_at', 'day') }}

),

daily as (

    -- Queue service is judged by when the caller started waiting, not when someone answered.
    select
        queue,
        enqueued_date as call_date,
        count(*) as offered,
        sum(is_answered) as answered,
        sum(is_abandoned) as abandoned,
        sum(
            case
                when is_answered = 1
                    and wait_seconds <= {{ policy('queue.service_level_seconds') }}
                    then 1
                else 0
            end
        ) as answered_within_service_level,
        sum(case when is_answered = 1 then wait_seconds else 0 end) as answered_wait_seconds
    from offered_calls
    group by queue, enqueued_date

),

final as (

    select
        queue,
        call_date,
        -- Plain integers on every engine (DuckDB sums to a 128-bit integer).
        cast(offered as {{ dbt.type_bigint() }}) as offered,
        cast(answered as {{ dbt.type_bigint() }}) as answered,
        cast(abandoned as {{ dbt.type_bigint() }}) as abandoned,
        cast(answered_within_service_level as {{ dbt.type_bigint() }}) as answered_within_service_level,
        case when offered > 0 then abandoned * 1.0 / offered end as abandon_rate,
        -- A ratio of sums, not avg(): Spark averages decimals to only four more places.
        case when answered > 0 then answered_wait_seconds * 1.0 / answered end as asa_seconds,
        case when offered > 0 then answered_within_service_level * 1.0 / offered end
            as service_level
    from daily

)

select * from final
where {{ is_recomputed('call_date', 'day') }}
