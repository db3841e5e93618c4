insert into run_log (run_id, quarter, flow, started_at, status)
values (:run_id, :quarter, :flow, :started_at, 'running')
