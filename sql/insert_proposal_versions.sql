-- Register every stored report version with a proposal that the register lacks.
insert into proposal_version (
    municipality_code, report_id, delivery_sha256, delivery_seq, quarter, submitted_on,
    updated_at, theme, addressee_level, urgency, proposal
)
select
    municipality_code, report_id, delivery_sha256, delivery_seq, quarter, submitted_on,
    updated_at, theme, addressee_level, urgency, proposal
from report
where proposal is not null
    and trim(proposal) <> ''
    and not exists (
        select 1
        from proposal_version as registered
        where registered.municipality_code = report.municipality_code
            and registered.report_id = report.report_id
            and registered.delivery_sha256 = report.delivery_sha256
    )
