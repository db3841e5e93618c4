-- Proposal follow-up (contract §6): the proposal register's history, response deliveries,
-- the append-only responses, and the rejected response lines.

-- Every stored version of a report with a proposal, one row per report and delivery:
-- a corrected report adds a row and keeps the earlier ones.
create table if not exists proposal_version (
    municipality_code text not null,
    report_id text not null,
    delivery_sha256 text not null,
    delivery_seq bigint not null,
    quarter text not null,
    submitted_on date not null,
    updated_at timestamp with time zone not null,
    theme text not null,
    addressee_level text not null,
    urgency text not null,
    proposal text not null,
    primary key (municipality_code, report_id, delivery_sha256)
);

-- Each delivered response sheet (its bytes are landed in landed_content like reports').
create table if not exists response_delivery (
    sha256 text primary key,
    name text not null,
    received_at timestamp with time zone not null,
    seq bigint not null,
    size_bytes bigint not null,
    rows_in bigint not null,
    rows_valid bigint not null,
    rows_quarantined bigint not null,
    redactions bigint not null
);

-- Every valid response line, never updated: the latest per proposal counts.
create table if not exists proposal_response (
    delivery_sha256 text not null,
    row_number bigint not null,
    delivery_seq bigint not null,
    received_at timestamp with time zone not null,
    municipality_code text not null,
    report_id text not null,
    status text not null,
    decision_ref text,
    decided_on date,
    response text,
    responder_role text,
    primary key (delivery_sha256, row_number)
);

create index if not exists proposal_response_key on proposal_response (municipality_code, report_id);

-- Rejected response lines, with the reason (never the free text).
create table if not exists response_rejection (
    delivery_sha256 text not null,
    delivery text not null,
    row_number bigint not null,
    municipality_code text not null,
    report_id text not null,
    field text not null,
    rule text not null,
    reason text not null,
    reason_fi text not null,
    primary key (delivery_sha256, row_number, field, rule)
);
