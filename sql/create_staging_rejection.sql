-- PostgreSQL's bulk path: one part of a delivery's rejections, COPYed here, then kept by
-- insert_rejections.
create temporary table staging_rejection on commit drop as
select
    quarter, source_id, municipality_code, report_id, delivery, delivery_sha256,
    row_number, field, rule, reason, reason_fi
from rejection
where false
