insert into run_log (run_id, quarter, flow, started_at, status)
values (:run_id, :quarter, :flow, :started_at, 'running')
on conflict (run_id) do update
set started_at = excluded.started_at, finished_at = null, status = 'running', summary = null
