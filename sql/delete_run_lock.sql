delete from run_lock
where name = :name and run_id = :run_id
