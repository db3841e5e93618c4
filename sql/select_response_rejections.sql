with rejections as (
    select * from response_rejection
),

deliveries as (
    select sha256, seq from response_delivery
),

final as (
    select
        rejections.delivery,
        rejections.row_number,
        rejections.municipality_code,
        rejections.report_id,
        rejections.field,
        rejections.rule,
        rejections.reason,
        rejections.reason_fi
    from rejections
    inner join deliveries on deliveries.sha256 = rejections.delivery_sha256
)

select * from final
order by delivery, row_number, field
