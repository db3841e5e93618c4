-- SQLite's bulk path, after delete_replaced_reports: add the delivery's staged reports
-- (with its sequence number) whose key no more recent stored report holds.
insert into report (
    municipality_code, report_id, quarter, submitted_on, updated_at, reporter_role,
    theme, secondary_themes, target_group, clients_affected, phenomenon, causes,
    consequences, proposal, addressee_level, urgency, consent_to_quote, report_type,
    language, source_id, delivery, delivery_sha256, delivery_seq, row_number
)
select
    municipality_code, report_id, quarter, submitted_on, updated_at, reporter_role,
    theme, secondary_themes, target_group, clients_affected, phenomenon, causes,
    consequences, proposal, addressee_level, urgency, consent_to_quote, report_type,
    language, source_id, delivery, delivery_sha256, cast(:delivery_seq as bigint), row_number
from staging_report
where not exists (
    select 1
    from report as stored
    where stored.municipality_code = staging_report.municipality_code
        and stored.report_id = staging_report.report_id
)
