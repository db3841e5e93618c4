-- The tracked proposals: every stored report (its current version) with a proposal.
with reports as (
    select * from report
    where proposal is not null and trim(proposal) <> ''
),

final as (
    select
        municipality_code,
        report_id,
        quarter,
        submitted_on,
        theme,
        addressee_level,
        urgency,
        proposal
    from reports
)

select * from final
order by municipality_code, report_id
