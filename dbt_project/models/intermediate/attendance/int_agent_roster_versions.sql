{#
    The roster's history as versions. Every snapshot repeats the whole roster, so consecutive
    snapshots in which an agent's team, tier, role, supervisor, probation end and termination
    date are unchanged collapse into one version. A snapshot that happens to leave an agent out
    does not end their version: their history must still answer "which team on that date".
#}

with

snapshots as (

    select * from {{ ref('stg_hr__agents') }}

),

snapshot_attributes as (

    select
        agent_id,
        source_file_date as snapshot_date,
        name,
        email,
        hire_date,
        team,
        tier,
        role,
        supervisor_id,
        coalesce(
            probation_end_date,
            cast({{ dbt.dateadd('month', 3, 'hire_date') }} as {{ type_date() }})
        ) as probation_end_date,
        termination_date
    from snapshots

),

compared_with_previous as (

    select
        *,
        lag(snapshot_date) over (partition by agent_id order by snapshot_date) as previous_snapshot_date,
        lag(team) over (partition by agent_id order by snapshot_date) as previous_team,
        lag(tier) over (partition by agent_id order by snapshot_date) as previous_tier,
        lag(role) over (partition by agent_id order by snapshot_date) as previous_role,
        lag(supervisor_id) over (partition by agent_id order by snapshot_date) as previous_supervisor_id,
        lag(probation_end_date) over (partition by agent_id order by snapshot_date) as previous_probation_end_date,
        lag(termination_date) over (partition by agent_id order by snapshot_date) as previous_termination_date
    from snapshot_attributes

),

flagged_changes as (

    select
        *,
        case
            when previous_snapshot_date is null then 1
            when team is distinct from previous_team then 1
            when tier is distinct from previous_tier then 1
            when role is distinct from previous_role then 1
            when supervisor_id is distinct from previous_supervisor_id then 1
            when probation_end_date is distinct from previous_probation_end_date then 1
            when termination_date is distinct from previous_termination_date then 1
            else 0
        end as starts_version
    from compared_with_previous

),

numbered_versions as (

    select
        *,
        sum(starts_version) over (
            partition by agent_id
            order by snapshot_date
            rows between unbounded preceding and current row
        ) as version_number
    from flagged_changes

),

described_versions as (

    -- Names, e-mails and hire dates are corrected rather than changed: a version shows the
    -- spelling of its latest snapshot.
    select
        *,
        first_value(name) over (
            partition by agent_id, version_number order by snapshot_date desc
        ) as latest_name,
        first_value(email) over (
            partition by agent_id, version_number order by snapshot_date desc
        ) as latest_email,
        first_value(hire_date) over (
            partition by agent_id, version_number order by snapshot_date desc
        ) as latest_hire_date
    from numbered_versions

),

versions as (

    select
        agent_id,
        version_number,
        min(snapshot_date) as valid_from,
        max(snapshot_date) as last_snapshot_date,
        max(latest_name) as name,
        max(latest_email) as email,
        max(latest_hire_date) as hire_date,
        max(team) as team,
        max(tier) as tier,
        max(role) as role,
        max(supervisor_id) as supervisor_id,
        max(probation_end_date) as probation_end_date,
        max(termination_date) as termination_date
    from described_versions
    group by agent_id, version_number

),

final as (

    select
        agent_id,
        version_number,
        name,
        email,
        team,
        tier,
        role,
        supervisor_id,
        hire_date,
        probation_end_date,
        termination_date,
        valid_from,
        lead(valid_from) over (partition by agent_id order by valid_from) as valid_to,
        last_snapshot_date
    from versions

)

select * from final
