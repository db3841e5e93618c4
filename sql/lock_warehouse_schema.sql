-- PostgreSQL only: serialise schema creation and upgrades, since concurrent
-- `create table if not exists` can collide on the catalogue.
select pg_advisory_xact_lock(7361728291)
