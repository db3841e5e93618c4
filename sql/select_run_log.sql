with runs as (
    select * from run_log
),

final as (
    select run_id, quarter, flow, started_at, finished_at, status, summary
    from runs
)

select * from final
order by started_at desc
limit :limit
