drop table if exists staging_report
