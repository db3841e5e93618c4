with versions as (
    select * from proposal_version
),

final as (
    select
        municipality_code,
        report_id,
        delivery_sha256,
        delivery_seq,
        quarter,
        updated_at,
        proposal
    from versions
)

select * from final
order by municipality_code, report_id, delivery_seq
