{#
    Every month in which an agent left a trace (a shift, a call, time on the ACD, a QA
    evaluation, a survey, a complaint or a rating), with who they were that month: team, role,
    tier and probation end.

    The team follows the roster rule for a month (the team on the last scheduled day of the month
    on which they were present, else the last scheduled day). Role, tier and probation end are
    read from the roster version in force on that same day, or on the month's last day for a month
    without shifts; before the first snapshot, from the earliest one. People who never appear on
    the roster are left out: every agent of the marts is a known agent.
#}

with

calls_monthly as (

    select agent_id, month from {{ ref('int_agent_calls_monthly') }}

),

acd_monthly as (

    select agent_id, month from {{ ref('int_agent_acd_monthly') }}

),

attendance_monthly as (

    select agent_id, month from {{ ref('int_agent_attendance_monthly') }}

),

evaluations_monthly as (

    select agent_id, month from {{ ref('int_agent_evaluations_monthly') }}

),

surveys_monthly as (

    select agent_id, month from {{ ref('int_agent_surveys_monthly') }}

),

complaints_monthly as (

    select agent_id, month from {{ ref('int_agent_complaints_monthly') }}

),

ratings_monthly as (

    select agent_id, month from {{ ref('int_agent_ratings_monthly') }}

),

team_monthly as (

    select * from {{ ref('int_agent_team_monthly') }}

),

roster_versions as (

    select * from {{ ref('dim_agent') }}

),

traced_months as (

    select agent_id, month from calls_monthly
    union
    select agent_id, month from acd_monthly
    union
    select agent_id, month from attendance_monthly
    union
    select agent_id, month from evaluations_monthly
    union
    select agent_id, month from surveys_monthly
    union
    select agent_id, month from complaints_monthly
    union
    select agent_id, month from ratings_monthly

),

with_reference_date as (

    select
        traced_months.agent_id,
        traced_months.month,
        team_monthly.team as team_of_month,
        coalesce(
            team_monthly.team_as_of_date,
            {{ dbt.last_day('traced_months.month', 'month') }}
        ) as reference_date

    from traced_months
    left join team_monthly
        on team_monthly.agent_id = traced_months.agent_id
        and team_monthly.month = traced_months.month

),

matched_versions as (

    select
        with_reference_date.agent_id,
        with_reference_date.month,
        coalesce(with_reference_date.team_of_month, roster_versions.team) as team,
        roster_versions.role,
        roster_versions.tier,
        roster_versions.probation_end_date,
        row_number() over (
            partition by with_reference_date.agent_id, with_reference_date.month
            order by
                case
                    when roster_versions.valid_from <= with_reference_date.reference_date
                        then roster_versions.valid_from
                end desc nulls last,
                roster_versions.valid_from asc
        ) as version_preference

    from with_reference_date
    inner join roster_versions
        on roster_versions.agent_id = with_reference_date.agent_id

),

final as (

    select
        agent_id,
        month,
        team,
        role,
        tier,
        probation_end_date

    from matched_versions
    where version_preference = 1

)

select * from final
