update rejection
set reason = :reason, reason_fi = :reason_fi
where source_id = :source_id
    and delivery_sha256 = :delivery_sha256
    and row_number = :row_number
    and field = :field
    and rule = :rule
