with locks as (
    select name, run_id, host, pid, acquired_at, heartbeat_at from run_lock
),

final as (
    select name, run_id, host, pid, acquired_at, heartbeat_at
    from locks
    where name = :name
)

select * from final
