insert into run_lock (quarter, run_id, host, pid, acquired_at, heartbeat_at)
values (:quarter, :run_id, :host, :pid, :now, :now)
on conflict (quarter) do nothing
