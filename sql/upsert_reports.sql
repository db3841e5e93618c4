-- Move staged reports into `report`: the row with the latest updated_at wins;
-- on equal updated_at, the one delivered later wins (contract §1).
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
    language, source_id, delivery, delivery_sha256, delivery_seq, row_number
from staging_report
where true
on conflict (municipality_code, report_id) do update set
    quarter = excluded.quarter,
    submitted_on = excluded.submitted_on,
    updated_at = excluded.updated_at,
    reporter_role = excluded.reporter_role,
    theme = excluded.theme,
    secondary_themes = excluded.secondary_themes,
    target_group = excluded.target_group,
    clients_affected = excluded.clients_affected,
    phenomenon = excluded.phenomenon,
    causes = excluded.causes,
    consequences = excluded.consequences,
    proposal = excluded.proposal,
    addressee_level = excluded.addressee_level,
    urgency = excluded.urgency,
    consent_to_quote = excluded.consent_to_quote,
    report_type = excluded.report_type,
    language = excluded.language,
    source_id = excluded.source_id,
    delivery = excluded.delivery,
    delivery_sha256 = excluded.delivery_sha256,
    delivery_seq = excluded.delivery_seq,
    row_number = excluded.row_number
where excluded.updated_at > report.updated_at
    or (
        excluded.updated_at = report.updated_at
        and excluded.delivery_seq >= report.delivery_seq
    )
