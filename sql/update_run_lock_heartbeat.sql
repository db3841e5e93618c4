update run_lock
set heartbeat_at = :now
where quarter = :quarter and run_id = :run_id
