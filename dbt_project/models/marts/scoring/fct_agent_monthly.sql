{#
    The month of every known agent, one row per agent and month: call handling, time on the ACD,
    attendance, quality, complaints and the supervisor's ratings side by side. Counts of nothing
    are 0; a rate or average whose denominator is 0 stays NULL. Counts are cast to bigint so that
    engines summing into wider integers (DuckDB's HUGEINT) still hand readers plain integers.
#}

{{ config(materialized='incremental', **recomputed_by('month')) }}

with

agent_months as (

    select * from {{ ref('int_agent_months') }}

),

calls_monthly as (

    select * from {{ ref('int_agent_calls_monthly') }}

),

acd_monthly as (

    select * from {{ ref('int_agent_acd_monthly') }}

),

attendance_monthly as (

    select * from {{ ref('int_agent_attendance_monthly') }}

),

evaluations_monthly as (

    select * from {{ ref('int_agent_evaluations_monthly') }}

),

surveys_monthly as (

    select * from {{ ref('int_agent_surveys_monthly') }}

),

complaints_monthly as (

    select * from {{ ref('int_agent_complaints_monthly') }}

),

ratings_monthly as (

    select * from {{ ref('int_agent_ratings_monthly') }}

),

joined as (

    select
        agent_months.agent_id,
        agent_months.month,
        agent_months.team,
        agent_months.role,
        agent_months.tier,
        agent_months.probation_end_date,

        cast(coalesce(calls_monthly.handled_calls, 0) as {{ dbt.type_bigint() }}) as handled_calls,
        cast(coalesce(calls_monthly.inbound_handled, 0) as {{ dbt.type_bigint() }}) as inbound_handled,
        cast(coalesce(calls_monthly.outbound_handled, 0) as {{ dbt.type_bigint() }}) as outbound_handled,
        calls_monthly.aht_seconds,
        calls_monthly.avg_talk_seconds,
        calls_monthly.avg_wrap_seconds,
        coalesce(calls_monthly.handled_calls, 0) * 3600.0
            / nullif(acd_monthly.logged_in_seconds, 0) as calls_per_hour,
        cast(coalesce(calls_monthly.fcr_resolved_calls, 0) as {{ dbt.type_bigint() }}) as fcr_resolved_calls,
        cast(coalesce(calls_monthly.fcr_decidable_calls, 0) as {{ dbt.type_bigint() }}) as fcr_decidable_calls,
        calls_monthly.fcr_rate,
        cast(coalesce(calls_monthly.outbound_dialled, 0) as {{ dbt.type_bigint() }}) as outbound_dialled,
        cast(coalesce(calls_monthly.outbound_answered, 0) as {{ dbt.type_bigint() }}) as outbound_answered,
        calls_monthly.outbound_connect_rate,

        cast(coalesce(acd_monthly.logged_in_seconds, 0) as {{ dbt.type_bigint() }}) as logged_in_seconds,
        cast(coalesce(acd_monthly.handle_seconds, 0) as {{ dbt.type_bigint() }}) as handle_seconds,
        cast(coalesce(acd_monthly.available_seconds, 0) as {{ dbt.type_bigint() }}) as available_seconds,
        acd_monthly.occupancy_rate,
        cast(coalesce(acd_monthly.busy_violations, 0) as {{ dbt.type_bigint() }}) as busy_violations,

        cast(coalesce(attendance_monthly.scheduled_days, 0) as {{ dbt.type_bigint() }}) as scheduled_days,
        cast(coalesce(attendance_monthly.present_days, 0) as {{ dbt.type_bigint() }}) as present_days,
        cast(coalesce(attendance_monthly.leave_days, 0) as {{ dbt.type_bigint() }}) as leave_days,
        cast(coalesce(attendance_monthly.absent_days, 0) as {{ dbt.type_bigint() }}) as absent_days,
        cast(coalesce(attendance_monthly.late_days, 0) as {{ dbt.type_bigint() }}) as late_days,
        cast(coalesce(attendance_monthly.early_leave_days, 0) as {{ dbt.type_bigint() }}) as early_leave_days,
        attendance_monthly.attendance_rate,

        cast(coalesce(evaluations_monthly.qa_evaluations, 0) as {{ dbt.type_bigint() }}) as qa_evaluations,
        evaluations_monthly.qa_score,
        evaluations_monthly.answer_accuracy_rate,
        cast(coalesce(evaluations_monthly.fatal_errors, 0) as {{ dbt.type_bigint() }}) as fatal_errors,

        cast(coalesce(surveys_monthly.surveys, 0) as {{ dbt.type_bigint() }}) as surveys,
        surveys_monthly.csat_rate,

        cast(coalesce(complaints_monthly.complaints_handled, 0) as {{ dbt.type_bigint() }}) as complaints_handled,
        complaints_monthly.complaint_timeliness_rate,
        complaints_monthly.complaint_success_rate,
        cast(coalesce(complaints_monthly.complaints_received, 0) as {{ dbt.type_bigint() }}) as complaints_received,

        ratings_monthly.communication as communication_rating,
        ratings_monthly.problem_solving as problem_solving_rating,
        ratings_monthly.learning as learning_rating,
        ratings_monthly.teamwork as teamwork_rating,
        ratings_monthly.responsibility as responsibility_rating,
        ratings_monthly.service_attitude as service_attitude_rating

    from agent_months
    left join calls_monthly
        on calls_monthly.agent_id = agent_months.agent_id
        and calls_monthly.month = agent_months.month
    left join acd_monthly
        on acd_monthly.agent_id = agent_months.agent_id
        and acd_monthly.month = agent_months.month
    left join attendance_monthly
        on attendance_monthly.agent_id = agent_months.agent_id
        and attendance_monthly.month = agent_months.month
    left join evaluations_monthly
        on evaluations_monthly.agent_id = agent_months.agent_id
        and evaluations_monthly.month = agent_months.month
    left join surveys_monthly
        on surveys_monthly.agent_id = agent_months.agent_id
        and surveys_monthly.month = agent_months.month
    left join complaints_monthly
        on complaints_monthly.agent_id = agent_months.agent_id
        and complaints_monthly.month = agent_months.month
    left join ratings_monthly
        on ratings_monthly.agent_id = agent_months.agent_id
        and ratings_monthly.month = agent_months.month

)

select * from joined
where {{ is_recomputed('month') }}
