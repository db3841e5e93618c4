-- Rejections of deliveries received before the cut-off whose reasons still quote a value
-- (a quoted value is the only double quote a reason holds).
with rejections as (
    select source_id, delivery_sha256, row_number, field, rule, reason, reason_fi
    from rejection
),

old_deliveries as (
    select sha256 from delivery where received_at < :before
),

final as (
    select source_id, delivery_sha256, row_number, field, rule, reason, reason_fi
    from rejections
    where delivery_sha256 in (select sha256 from old_deliveries)
    and (reason like '%"%' or reason_fi like '%"%')
)

select * from final
