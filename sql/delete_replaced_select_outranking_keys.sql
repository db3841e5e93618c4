-- PostgreSQL's bulk path, for one part of a delivery in staging_key: remove the stored reports
-- it replaces (contract §1: its row is as recent or more recent; on equal updated_at the later
-- delivery, this one, wins) and return the keys whose stored report is more recent, so that
-- the part's row is not added. One join of staging_key with report serves both.
with matched as (
    select
        stored.municipality_code,
        stored.report_id,
        staging_key.updated_at >= stored.updated_at as replaced
    from staging_key
    inner join report as stored
        on staging_key.municipality_code = stored.municipality_code
        and staging_key.report_id = stored.report_id
),
deleted as (
    delete from report
    where (municipality_code, report_id) in (
        select municipality_code, report_id from matched where replaced
    )
)
select municipality_code, report_id
from matched
where not replaced
