-- Landed parts are compressed by the client: each part's codec ('zstd', or 'none' for the
-- parts landed before this version) and its size as received (null on 'none' parts).
alter table landed_content add column codec text not null default 'none';

alter table landed_content add column raw_size bigint
