{#
    The monthly appraisal (60 / 30 / 10). The components of each category, and every weight,
    floor, target, grade band and review threshold, come from the scoring policy: the SQL below is
    generated from the policy's category mapping, so a changed policy file changes the scores
    without touching this model.

    Points run linearly from the floor (0 points) to the target (100 points), clamped; a floor
    above its target makes lower values better. A component without data is left out and its
    weight spread over the rest of its category; a category without any data leaves the total
    NULL (not scoreable), so nobody is graded or ranked on a silent zero.

    Points and scores are stored with six decimals, and the total is fixed to six decimals before
    it is graded and ranked: enough to rank on the unrounded total, while binary floating-point
    noise (89.99999999999999 for 90) cannot move a total across a grade band.
#}

{{ config(materialized='incremental', **recomputed_by('month')) }}

{%- set categories = policy('scoring.categories') -%}

with

agent_months as (

    select * from {{ ref('fct_agent_monthly') }}

),

complaints_by_month as (

    select * from {{ ref('int_agent_complaints_monthly') }}

),

-- Only people in the agent role who were scheduled in the month are appraised.
appraised as (

    select * from agent_months
    where role = 'agent'
        and scheduled_days > 0

),

complaints_over_12_months as (

    select
        appraised.agent_id,
        appraised.month,
        cast(sum(complaints_by_month.complaints_received) as {{ dbt.type_bigint() }})
            as complaints_received_12_months

    from appraised
    inner join complaints_by_month
        on complaints_by_month.agent_id = appraised.agent_id
        and complaints_by_month.month <= appraised.month
        and complaints_by_month.month > {{ dbt.dateadd('month', -12, 'appraised.month') }}
    group by appraised.agent_id, appraised.month

),

-- Every measure a policy component may name, under the component's name.
measures as (

    select
        appraised.agent_id,
        appraised.month,
        appraised.team,
        appraised.probation_end_date,
        appraised.late_days + appraised.early_leave_days + appraised.absent_days
            as discipline_incidents,
        appraised.complaints_received,
        coalesce(complaints_over_12_months.complaints_received_12_months, 0)
            as complaints_received_12_months,
        appraised.fatal_errors,

        appraised.csat_rate,
        appraised.qa_score,
        appraised.fcr_rate,
        appraised.answer_accuracy_rate,
        appraised.complaint_timeliness_rate,
        appraised.complaint_success_rate,
        appraised.aht_seconds,
        appraised.communication_rating as communication,
        appraised.problem_solving_rating as problem_solving,
        appraised.learning_rating as learning,
        appraised.teamwork_rating as teamwork,
        appraised.responsibility_rating as responsibility,
        appraised.service_attitude_rating as service_attitude,
        -- Discipline starts full and loses points per incident and busy violation, never below zero.
        greatest(
            0,
            {{ policy('scoring.discipline.start_points') }}
            - {{ policy('scoring.discipline.per_late_day') }} * appraised.late_days
            - {{ policy('scoring.discipline.per_early_leave_day') }} * appraised.early_leave_days
            - {{ policy('scoring.discipline.per_absent_day') }} * appraised.absent_days
            - {{ policy('scoring.discipline.per_busy_violation') }} * appraised.busy_violations
        ) as discipline

    from appraised
    left join complaints_over_12_months
        on complaints_over_12_months.agent_id = appraised.agent_id
        and complaints_over_12_months.month = appraised.month

),

-- The line through (floor, 0 points) and (target, 100 points). With the floor above the target
-- the line falls, so the same formula makes lower values better.
linear_points as (

    select
        *
        {%- for category, settings in categories.items() %}
        {%- for component in settings['components'] %}
        {%- set component_path = 'scoring.categories.' ~ category ~ '.components.' ~ component %}
        {%- set floor = policy(component_path ~ '.floor') %}
        {%- set target = policy(component_path ~ '.target') %},
        100.0 * ({{ component }} - {{ floor }}) / ({{ target }} - {{ floor }})
            as {{ component }}_linear_points
        {%- endfor %}
        {%- endfor %}

    from measures

),

-- Clamped to [0, 100]; a component without data has no points and is named as missing.
points as (

    select
        *
        {%- for category, settings in categories.items() %}
        {%- for component in settings['components'] %},
        case
            when {{ component }}_linear_points < 0 then 0
            when {{ component }}_linear_points > 100 then 100
            else {{ component }}_linear_points
        end as {{ component }}_points
        {%- endfor %}
        {%- endfor %},

        concat_ws(
            ', '
            {%- for category, settings in categories.items() %}
            {%- for component in settings['components'] %},
            case when {{ component }} is null then '{{ component }}' end
            {%- endfor %}
            {%- endfor %}
        ) as missing_components

    from linear_points

),

-- A category's score is the weighted mean of its components that have data.
category_scores as (

    select
        *
        {%- for category, settings in categories.items() %}
        {%- set weights = {} %}
        {%- for component in settings['components'] %}
        {%- do weights.update({component: policy(
            'scoring.categories.' ~ category ~ '.components.' ~ component ~ '.weight'
        )}) %}
        {%- endfor %},
        (
            {%- for component, weight in weights.items() %}
            {{ '+ ' if not loop.first }}coalesce({{ weight }} * {{ component }}_points, 0)
            {%- endfor %}
        ) / nullif(
            {%- for component, weight in weights.items() %}
            {{ '+ ' if not loop.first }}case when {{ component }}_points is not null then {{ weight }} else 0 end
            {%- endfor %},
            0
        ) as {{ category }}_score
        {%- endfor %}

    from points

),

-- A category without any data makes the whole total NULL. The total is fixed to six decimals
-- here, before it is graded and ranked.
totals as (

    select
        *,
        cast(
            (
                {%- for category in categories %}
                {{ '+ ' if not loop.first }}{{ policy('scoring.categories.' ~ category ~ '.weight') }} * {{ category }}_score
                {%- endfor %}
            ) / (
                {%- for category in categories %}
                {{ '+ ' if not loop.first }}{{ policy('scoring.categories.' ~ category ~ '.weight') }}
                {%- endfor %}
            )
            as {{ dbt.type_numeric() }}
        ) as total_score

    from category_scores

),

graded as (

    select
        *,
        -- Highest band first, whatever the order of the bands in the policy file.
        case
            when total_score is null then null
            {%- for grade, lowest_total in policy('scoring.grades').items() | sort(attribute='1', reverse=true) %}
            when total_score >= {{ policy('scoring.grades.' ~ grade) }} then '{{ grade }}'
            {%- endfor %}
            else 'fail'
        end as grade

    from totals

),

-- Ties share a rank and the next rank is skipped; rows without a total are not ranked.
ranks as (

    select
        agent_id,
        month,
        rank() over (partition by month, team order by total_score desc) as rank_in_team,
        rank() over (partition by month order by total_score desc) as rank_in_centre

    from graded
    where total_score is not null

),

flagged as (

    select
        graded.*,
        ranks.rank_in_team,
        ranks.rank_in_centre,
        case
            when graded.probation_end_date > {{ dbt.last_day('graded.month', 'month') }} then 1
            else 0
        end as is_on_probation,
        concat_ws(
            ', ',
            case when graded.grade = 'fail' then 'grade_fail' end,
            case
                when graded.complaints_received >= {{ policy('scoring.review_flags.complaints_in_month') }}
                    then 'complaints_in_month'
            end,
            case
                when graded.complaints_received_12_months
                    >= {{ policy('scoring.review_flags.complaints_in_12_months') }}
                    then 'complaints_in_12_months'
            end,
            case
                when graded.discipline_incidents
                    >= {{ policy('scoring.review_flags.discipline_incidents_in_month') }}
                    then 'discipline_incidents'
            end,
            case
                when {{ policy('scoring.review_flags.flag_fatal_errors') }} and graded.fatal_errors > 0
                    then 'fatal_qa_error'
            end
        ) as review_flags

    from graded
    left join ranks
        on ranks.agent_id = graded.agent_id
        and ranks.month = graded.month

),

final as (

    select
        agent_id,
        month,
        team,
        {%- for category, settings in categories.items() %}
        {%- for component in settings['components'] %}
        {{ component }} as {{ component }}_value,
        cast({{ component }}_points as {{ dbt.type_numeric() }}) as {{ component }}_points,
        {%- endfor %}
        {%- endfor %}
        missing_components,
        {%- for category in categories %}
        cast({{ category }}_score as {{ dbt.type_numeric() }}) as {{ category }}_score,
        {%- endfor %}
        total_score,
        grade,
        rank_in_team,
        rank_in_centre,
        is_on_probation,
        complaints_received,
        complaints_received_12_months,
        discipline_incidents,
        fatal_errors,
        review_flags,
        case when review_flags = '' then 0 else 1 end as has_review_flags,
        '{{ policy('version_label') }}' as policy_version

    from flagged

)

select * from final
where {{ is_recomputed('month') }}
