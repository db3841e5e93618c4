-- Record a decision on one quote text; a later decision on the same text replaces it.
insert into quote_decision as decided (
    municipality_code,
    report_id,
    kind,
    text_sha256,
    quarter,
    decision,
    decided_at
)
values (
    :municipality_code,
    :report_id,
    :kind,
    :text_sha256,
    :quarter,
    :decision,
    :decided_at
)
on conflict (municipality_code, report_id, kind, text_sha256) do update set
    quarter = excluded.quarter,
    decision = excluded.decision,
    decided_at = excluded.decided_at
