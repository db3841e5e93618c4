insert into run_lock (name, run_id, host, pid, acquired_at, heartbeat_at)
values (:name, :run_id, :host, :pid, :now, :now)
on conflict (name) do nothing
