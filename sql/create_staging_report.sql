create temporary table staging_report as
select * from report where 1 = 0
