-- SQLite's bulk path: positional parameters, in the column order of create_staging_report.
insert into staging_report (
    municipality_code, report_id, quarter, submitted_on, updated_at, reporter_role,
    theme, secondary_themes, target_group, clients_affected, phenomenon, causes,
    consequences, proposal, addressee_level, urgency, consent_to_quote, report_type,
    language, source_id, delivery, delivery_sha256, delivery_seq, row_number
)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
