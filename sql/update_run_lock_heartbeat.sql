update run_lock
set heartbeat_at = :now
where name = :name and run_id = :run_id
