-- In SQLite's scratch file: drop the staged rows that a later row of the same delivery
-- replaces (they came in different parts; latest_per_key chose), before the merge.
delete from staging_report
where staged_position in (select staging_replaced.staged_position from staging_replaced)
