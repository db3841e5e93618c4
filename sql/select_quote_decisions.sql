with decisions as (
    select municipality_code, report_id, kind, text_sha256, quarter, decision
    from quote_decision
),

final as (
    select municipality_code, report_id, kind, text_sha256, decision
    from decisions
    where quarter = :quarter
)

select * from final
