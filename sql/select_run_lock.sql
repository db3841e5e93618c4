with locks as (
    select quarter, run_id, host, pid, acquired_at, heartbeat_at from run_lock
),

final as (
    select run_id, host, pid, acquired_at, heartbeat_at
    from locks
    where quarter = :quarter
)

select * from final
