-- Landed deliveries whose sha256 matches the pattern: a hex prefix followed by '%'.
with landed as (
    select distinct sha256 from landed_content
),

final as (
    select sha256 from landed where sha256 like :pattern
)

select * from final
order by sha256
