insert into response_rejection (
    delivery_sha256, delivery, row_number, municipality_code, report_id, field, rule, reason,
    reason_fi
)
values (
    :delivery_sha256, :delivery, :row_number, :municipality_code, :report_id, :field, :rule,
    :reason, :reason_fi
)
