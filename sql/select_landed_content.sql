-- One landed delivery's parts in order, each as stored: 'none' parts hold the bytes as
-- received, compressed ones (e.g. 'zstd') hold `raw_size` bytes once decompressed.
with parts as (
    select sha256, part, codec, raw_size, content from landed_content
),

final as (
    select part, codec, raw_size, content
    from parts
    where sha256 = :sha256
)

select * from final
order by part
