-- Deliveries a published quarter rests on: those processed in its runs and
-- those that hold one of its stored reports.
with contributing as (
    select distinct source_id, delivery_sha256 as sha256
    from report
    where quarter = :quarter
),

final as (
    select
        delivery.source_id as source_id,
        delivery.municipality_code as municipality_code,
        delivery.kind as kind,
        delivery.name as name,
        delivery.sha256 as sha256,
        delivery.seq as seq,
        delivery.rows_in as rows_in,
        delivery.rows_valid as rows_valid,
        delivery.rows_quarantined as rows_quarantined,
        delivery.redacted_identity_codes as redacted_identity_codes,
        delivery.redacted_phones as redacted_phones,
        delivery.redacted_emails as redacted_emails
    from delivery
    where delivery.quarter = :quarter
        or exists (
            select 1
            from contributing
            where contributing.source_id = delivery.source_id
                and contributing.sha256 = delivery.sha256
        )
)

select * from final
order by source_id, seq
