{#
    The team an agent's month counts for: their team on the last scheduled day of the month on
    which they were present, or on the last scheduled day when they were present on none.
#}

with

scheduled_days as (

    select * from {{ ref('int_agent_days_classified') }}

),

ranked_days as (

    select
        agent_id,
        month,
        work_date,
        team,
        day_status,
        row_number() over (
            partition by agent_id, month
            order by
                case when day_status = 'present' then 0 else 1 end,
                work_date desc
        ) as preference
    from scheduled_days

),

final as (

    select
        agent_id,
        month,
        team,
        work_date as team_as_of_date,
        case when day_status = 'present' then 1 else 0 end as was_present_that_day
    from ranked_days
    where preference = 1

)

select * from final
