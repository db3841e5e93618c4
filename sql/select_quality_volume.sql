-- Stored reports per municipality in a quarter and in the two quarters before it: one row per
-- municipality with reports in any of the three. The quality gate flags a municipality that has
-- reports in both earlier quarters and none in this one (`volume_drop`).
with quarter_reports as (
    select
        municipality_code,
        quarter
    from report
    where quarter in (:quarter, :previous_quarter, :earlier_quarter)
),

final as (
    select
        municipality_code as municipality_code,
        sum(case when quarter = :quarter then 1 else 0 end) as reports,
        sum(case when quarter = :previous_quarter then 1 else 0 end) as reports_previous,
        sum(case when quarter = :earlier_quarter then 1 else 0 end) as reports_earlier
    from quarter_reports
    group by municipality_code
)

select * from final
order by municipality_code
