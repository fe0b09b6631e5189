{#
    The supervisor's monthly rating (上级评价) of each agent. A month's ratings may be delivered
    again as a correction: the latest delivery wins.
#}

with

ratings as (

    select * from {{ ref('stg_hr__ratings') }}

),

ranked_deliveries as (

    select
        *,
        row_number() over (
            partition by agent_id, month
            order by
                source_file_date desc nulls last,
                source_file_name desc,
                source_line_number desc
        ) as delivery_recency

    from ratings

),

latest as (

    select
        agent_id,
        month,
        rater_id,
        communication,
        problem_solving,
        learning,
        teamwork,
        responsibility,
        service_attitude,
        source_file_name,
        source_line_number

    from ranked_deliveries
    where delivery_recency = 1

)

select * from latest
