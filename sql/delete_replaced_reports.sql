-- Remove the stored reports that the delivery in staging_key replaces (contract §1): its row
-- is as recent or more recent, and on equal updated_at the later delivery (this one) wins.
delete from report
where exists (
    select 1
    from staging_key
    where staging_key.municipality_code = report.municipality_code
        and staging_key.report_id = report.report_id
        and staging_key.updated_at >= report.updated_at
)
