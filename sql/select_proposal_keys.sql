with reports as (
    select * from report
    where proposal is not null and trim(proposal) <> ''
),

final as (
    select municipality_code, report_id from reports
)

select * from final
