{#
    QA coverage per agent and ISO week (Monday to Sunday): the regulation wants every agent's
    calls monitored a minimum number of times a week. A week counts for an agent when they
    handled calls in it or were evaluated in it, so a week of calls that nobody listened to shows
    up with 0 evaluations instead of going unseen.
#}

{{ config(materialized='incremental', **recomputed_by('week_end', 'day')) }}

with

agent_call_days as (

    select * from {{ ref('int_agent_calls_daily') }}

),

evaluations as (

    select * from {{ ref('stg_qa__evaluations') }}

),

roster_versions as (

    select * from {{ ref('dim_agent') }}

),

-- Truncating to the week gives its Monday on DuckDB, PostgreSQL and Spark alike, as ISO weeks start.
call_weeks as (

    select
        agent_id,
        cast({{ dbt.date_trunc('week', 'call_date') }} as {{ type_date() }}) as week_start,
        handled_calls,
        0 as is_evaluation

    from agent_call_days
    where handled_calls > 0

),

evaluation_weeks as (

    select
        agent_id,
        cast({{ dbt.date_trunc('week', 'evaluated_at') }} as {{ type_date() }}) as week_start,
        0 as handled_calls,
        1 as is_evaluation

    from evaluations

),

agent_week_events as (

    select * from call_weeks
    union all
    select * from evaluation_weeks

),

weekly as (

    select
        agent_id,
        week_start,
        cast(sum(handled_calls) as {{ dbt.type_bigint() }}) as handled_calls,
        cast(sum(is_evaluation) as {{ dbt.type_bigint() }}) as evaluations

    from agent_week_events
    group by agent_id, week_start

),

-- The ISO year and week are those of the week's Thursday.
iso_weeks as (

    select
        *,
        cast({{ dbt.dateadd('day', 3, 'week_start') }} as {{ type_date() }}) as week_thursday,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as {{ type_date() }}) as week_end

    from weekly

),

matched_versions as (

    select
        iso_weeks.*,
        roster_versions.team,
        row_number() over (
            partition by iso_weeks.agent_id, iso_weeks.week_start
            order by
                case
                    when roster_versions.valid_from <= iso_weeks.week_end
                        then roster_versions.valid_from
                end desc nulls last,
                roster_versions.valid_from asc
        ) as version_preference

    from iso_weeks
    inner join roster_versions
        on roster_versions.agent_id = iso_weeks.agent_id

),

final as (

    select
        agent_id,
        week_start,
        week_end,
        cast(extract(year from week_thursday) as {{ dbt.type_int() }}) as iso_year,
        cast(
            floor(
                {{ dbt.datediff(dbt.date_trunc('year', 'week_thursday'), 'week_thursday', 'day') }} / 7.0
            ) + 1
            as {{ dbt.type_int() }}
        ) as iso_week,
        team,
        handled_calls,
        evaluations,
        case
            when evaluations >= {{ policy('quality.weekly_minimum_evaluations') }} then 1 else 0
        end as qa_coverage_ok

    from matched_versions
    where version_preference = 1

)

select * from final
where {{ is_recomputed('week_end', 'day') }}
