delete from run_lock
where quarter = :quarter and run_id = :run_id
