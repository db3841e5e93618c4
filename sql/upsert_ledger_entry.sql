-- Record one delivery step for one recipient of one brief version: the row's
-- status and last error are replaced, its attempt count grows by 0 or 1.
insert into publication_ledger as ledger (
    quarter,
    version,
    recipient,
    status,
    attempts,
    last_error,
    updated_at
)
values (
    :quarter,
    :version,
    :recipient,
    :status,
    :attempts,
    :last_error,
    :updated_at
)
on conflict (quarter, version, recipient) do update set
    status = excluded.status,
    attempts = ledger.attempts + excluded.attempts,
    last_error = excluded.last_error,
    updated_at = excluded.updated_at
