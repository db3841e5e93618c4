-- Keep the staged rejections of one delivery (with its sequence number); a rejection already
-- kept for the same delivery, row, field and rule stays as it is.
insert into rejection (
    quarter, source_id, municipality_code, report_id, delivery, delivery_sha256,
    delivery_seq, row_number, field, rule, reason, reason_fi
)
select
    quarter, source_id, municipality_code, report_id, delivery, delivery_sha256,
    cast(:delivery_seq as bigint), row_number, field, rule, reason, reason_fi
from staging_rejection
where true
on conflict (source_id, delivery_sha256, row_number, field, rule) do nothing
