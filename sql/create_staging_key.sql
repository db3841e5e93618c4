-- PostgreSQL's bulk path: the keys and updated_at of one part of a delivery's reports, COPYed
-- here so that delete_replaced_select_outranking_keys can apply the duplicate rule.
-- (SQLite's staging tables live in a scratch file attached as `staging`.)
create temporary table staging_key on commit drop as
select municipality_code, report_id, updated_at
from report
where false
