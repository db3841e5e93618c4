-- The warehouse's schema versions: 1 is create_warehouse.sql, each later one a file under
-- sql/migrations/, recorded in the transaction that applied it. No row: empty or version 1.
create table if not exists schema_version (
    version bigint primary key,
    applied_at timestamp with time zone not null
)
