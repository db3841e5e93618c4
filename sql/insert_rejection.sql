insert into rejection (
    quarter, source_id, municipality_code, report_id, delivery, delivery_sha256,
    delivery_seq, row_number, field, rule, reason, reason_fi
)
values (
    :quarter, :source_id, :municipality_code, :report_id, :delivery, :delivery_sha256,
    :delivery_seq, :row_number, :field, :rule, :reason, :reason_fi
)
on conflict (source_id, delivery_sha256, row_number, field, rule) do nothing
