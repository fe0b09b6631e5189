{#
    A complaint is delivered again every time its state changes: the latest delivery is its
    state. The deadline is the complaint's own due_at or, when the source left it empty, the
    policy's time limit for the channel the complaint came in by.
#}

with

complaint_deliveries as (

    select * from {{ ref('stg_qa__complaints') }}

),

ranked_deliveries as (

    select
        *,
        row_number() over (
            partition by complaint_id
            order by
                source_file_date desc nulls last,
                source_file_name desc,
                source_line_number desc
        ) as delivery_recency,
        count(*) over (partition by complaint_id) as deliveries

    from complaint_deliveries

),

latest_state as (

    select * from ranked_deliveries
    where delivery_recency = 1

),

with_deadline as (

    select
        complaint_id,
        received_at,
        cast({{ dbt.date_trunc('month', 'received_at') }} as {{ type_date() }}) as received_month,
        channel,
        customer_number_hash,
        call_id,
        subject_agent_id,
        handler_agent_id,
        category,
        due_at,
        -- Counted in minutes so that a fractional hour limit in the policy is kept whole.
        coalesce(
            due_at,
            case channel
                {%- for channel in policy('complaints.time_limit_hours') %}
                when '{{ channel }}' then {{ dbt.dateadd(
                    'minute',
                    policy('complaints.time_limit_hours.' ~ channel) * 60,
                    'received_at'
                ) }}
                {%- endfor %}
            end
        ) as deadline_at,
        first_response_at,
        resolved_at,
        resolution,
        deliveries,
        source_file_name,
        source_file_date,
        source_line_number

    from latest_state

),

resolved as (

    select
        *,
        -- Closed with an outcome the customer confirmed or refused; open and withdrawn
        -- complaints were not handled to an end.
        case
            when resolution in ('success', 'failed') and resolved_at is not null then 1 else 0
        end as is_resolved,

        case
            when resolution in ('success', 'failed') and resolved_at is not null
                then cast({{ dbt.date_trunc('month', 'resolved_at') }} as {{ type_date() }})
        end as resolved_month

    from with_deadline

),

final as (

    select
        *,
        case
            when is_resolved = 1 and resolved_at <= deadline_at then 1
            when is_resolved = 1 then 0
        end as is_resolved_on_time,

        case
            when is_resolved = 1 and resolution = 'success' then 1
            when is_resolved = 1 then 0
        end as is_resolved_successfully

    from resolved

)

select * from final
