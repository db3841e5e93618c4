with deliveries as (
    select source_id, sha256 from delivery
),

final as (
    select sha256 from deliveries where source_id = :source_id
)

select * from final
