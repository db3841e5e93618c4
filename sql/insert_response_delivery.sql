insert into response_delivery (
    sha256, name, received_at, seq, size_bytes, rows_in, rows_valid, rows_quarantined, redactions
)
values (
    :sha256, :name, :received_at, :seq, :size_bytes, :rows_in, :rows_valid, :rows_quarantined,
    :redactions
)
