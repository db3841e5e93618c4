-- After delete_replaced_reports: the delivery's keys whose stored report is more recent,
-- so that the delivery's row is not added.
select staging_key.municipality_code, staging_key.report_id
from staging_key
inner join report
    on staging_key.municipality_code = report.municipality_code
    and staging_key.report_id = report.report_id
