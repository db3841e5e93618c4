-- SQLite's bulk path: remove the stored reports that the delivery in staging_key replaces
-- (contract §1): its row is as recent or more recent, and on equal updated_at the later
-- delivery (this one) wins.
-- Driven from staging_key through the primary key, so its cost follows the delivery's size,
-- not the warehouse's (a correlated `exists` made both databases scan all of report).
delete from report
where (municipality_code, report_id) in (
    select staging_key.municipality_code, staging_key.report_id
    from staging_key
    inner join report as stored
        on staging_key.municipality_code = stored.municipality_code
        and staging_key.report_id = stored.report_id
    where staging_key.updated_at >= stored.updated_at
)
