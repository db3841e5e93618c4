with deliveries as (
    select seq from response_delivery
),

final as (
    select coalesce(max(seq), 0) + 1 as next_seq from deliveries
)

select * from final
