-- The warehouse: raw landing, stored reports, quarantine, watermarks, lineage,
-- run log and publication ledger. Portable between SQLite and PostgreSQL:
-- timestamps are UTC ('YYYY-MM-DD HH:MM:SS.ffffff+00:00' text on SQLite).
--
-- Schema version 1, the baseline: idempotent and frozen. Change the schema with a new
-- numbered file under sql/migrations/, never here.

create table if not exists delivery (
    source_id text not null,
    sha256 text not null,
    municipality_code text not null,
    kind text not null,
    name text not null,
    received_at timestamp with time zone not null,
    quarter text not null,
    seq bigint not null,
    size_bytes bigint not null,
    rows_in bigint not null,
    rows_valid bigint not null,
    rows_quarantined bigint not null,
    redacted_identity_codes bigint not null,
    redacted_phones bigint not null,
    redacted_emails bigint not null,
    primary key (source_id, sha256)
);

-- The raw landing area: every delivery's bytes as received, in parts of at
-- most 256 MiB (PostgreSQL's bytea holds at most 1 GB).
create table if not exists landed_content (
    sha256 text not null,
    part bigint not null,
    content bytea not null,
    primary key (sha256, part)
);

create table if not exists report (
    municipality_code text not null,
    report_id text not null,
    quarter text not null,
    submitted_on date not null,
    updated_at timestamp with time zone not null,
    reporter_role text not null,
    theme text not null,
    secondary_themes text not null,
    target_group text not null,
    clients_affected bigint,
    phenomenon text not null,
    causes text,
    consequences text,
    proposal text,
    addressee_level text not null,
    urgency text not null,
    consent_to_quote boolean not null,
    report_type text not null,
    language text not null,
    source_id text not null,
    delivery text not null,
    delivery_sha256 text not null,
    delivery_seq bigint not null,
    row_number bigint not null,
    primary key (municipality_code, report_id)
);

create index if not exists report_quarter on report (quarter);

create table if not exists rejection (
    quarter text not null,
    source_id text not null,
    municipality_code text not null,
    report_id text not null,
    delivery text not null,
    delivery_sha256 text not null,
    delivery_seq bigint not null,
    row_number bigint not null,
    field text not null,
    rule text not null,
    reason text not null,
    reason_fi text not null,
    primary key (source_id, delivery_sha256, row_number, field, rule)
);

create index if not exists rejection_quarter on rejection (quarter);

create table if not exists watermark (
    source_id text primary key,
    extracted_until timestamp with time zone not null
);

create table if not exists cell_lineage (
    quarter text not null,
    level text not null,
    area_code text not null,
    theme text not null,
    target_group text not null,
    municipality_code text not null,
    report_id text not null
);

create index if not exists cell_lineage_cell on cell_lineage (quarter, area_code, theme, target_group);

create table if not exists run_log (
    run_id text primary key,
    quarter text not null,
    flow text not null,
    started_at timestamp with time zone not null,
    finished_at timestamp with time zone,
    status text not null,
    summary text
);

create table if not exists publication_ledger (
    quarter text not null,
    version text not null,
    recipient text not null,
    status text not null,
    attempts bigint not null,
    last_error text,
    updated_at timestamp with time zone not null,
    primary key (quarter, version, recipient)
);

-- Warehouse locks: a quarter ('2026Q3', one run at a time) or a source ('source:698-sql',
-- one extraction at a time), with the holder's run, host, process and last sign of life.
create table if not exists run_lock (
    name text primary key,
    run_id text not null,
    host text not null,
    pid bigint not null,
    acquired_at timestamp with time zone not null,
    heartbeat_at timestamp with time zone not null
);
