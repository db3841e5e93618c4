-- Deliveries received before the cut-off whose landed bytes are still kept.
with deliveries as (
    select sha256, received_at from delivery
),

landed as (
    select sha256, count(*) as parts from landed_content group by sha256
),

final as (
    select deliveries.sha256 as sha256, landed.parts as parts
    from deliveries
    inner join landed on landed.sha256 = deliveries.sha256
    where deliveries.received_at < :before
    and not exists (
        select 1 from delivery as newer
        where newer.sha256 = deliveries.sha256 and newer.received_at >= :before
    )
)

select distinct sha256, parts from final
