with

roster_versions as (

    select * from {{ ref('int_agent_roster_versions') }}

),

final as (

    select
        agent_id,
        valid_from,
        valid_to,
        case when valid_to is null then 1 else 0 end as is_current,
        name,
        email,
        team,
        tier,
        role,
        supervisor_id,
        hire_date,
        probation_end_date,
        termination_date,
        last_snapshot_date
    from roster_versions

)

select * from final
