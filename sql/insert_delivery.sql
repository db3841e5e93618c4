insert into delivery (
    source_id, sha256, municipality_code, kind, name, received_at, quarter, seq,
    size_bytes, rows_in, rows_valid, rows_quarantined,
    redacted_identity_codes, redacted_phones, redacted_emails
)
values (
    :source_id, :sha256, :municipality_code, :kind, :name, :received_at, :quarter, :seq,
    :size_bytes, :rows_in, :rows_valid, :rows_quarantined,
    :redacted_identity_codes, :redacted_phones, :redacted_emails
)
