with runs as (
    select run_id, quarter, flow, status from run_log
),

final as (
    select run_id
    from runs
    where quarter = :quarter and flow = :flow and status = 'running' and run_id <> :run_id
)

select * from final
order by run_id
