-- Every recorded delivery of one quarter: one row per brief version and recipient.
with ledger as (
    select
        quarter as quarter,
        version as version,
        recipient as recipient,
        status as status,
        attempts as attempts,
        last_error as last_error,
        updated_at as updated_at
    from publication_ledger
    where quarter = :quarter
),

final as (
    select * from ledger
)

select * from final
order by updated_at, version, recipient
