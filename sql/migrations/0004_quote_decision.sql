-- A person's decision on one quote: per report key and the sha256 of the quote's
-- text as shown to them, so that a corrected report needs a new decision.
create table if not exists quote_decision (
    municipality_code text not null,
    report_id text not null,
    text_sha256 text not null,
    quarter text not null,
    decision text not null,
    decided_at timestamp with time zone not null,
    primary key (municipality_code, report_id, text_sha256)
);

create index if not exists quote_decision_quarter on quote_decision (quarter)
