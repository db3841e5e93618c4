update run_log
set finished_at = :finished_at, status = :status, summary = :summary
where run_id = :run_id
