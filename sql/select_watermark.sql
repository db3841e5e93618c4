with watermarks as (
    select source_id, extracted_until from watermark
),

final as (
    select extracted_until from watermarks where source_id = :source_id
)

select * from final
