with deliveries as (
    select * from response_delivery
),

final as (
    select sha256 from deliveries
)

select * from final
