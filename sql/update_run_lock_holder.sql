update run_lock
set run_id = :run_id, host = :host, pid = :pid, acquired_at = :now, heartbeat_at = :now
where name = :name and run_id = :previous_run_id
