-- Rows rejected in a run for the quarter that no later valid delivery of the
-- same key has replaced.
with rejections as (
    select * from rejection where quarter = :quarter
),

replacements as (
    select municipality_code, report_id, delivery_seq from report
),

final as (
    select
        rejections.source_id as source_id,
        rejections.municipality_code as municipality_code,
        rejections.report_id as report_id,
        rejections.delivery as delivery,
        rejections.row_number as row_number,
        rejections.field as field,
        rejections.rule as rule,
        rejections.reason as reason,
        rejections.reason_fi as reason_fi
    from rejections
    where not exists (
        select 1
        from replacements
        where replacements.municipality_code = rejections.municipality_code
            and replacements.report_id = rejections.report_id
            and replacements.delivery_seq > rejections.delivery_seq
    )
)

select * from final
order by municipality_code, source_id, delivery, row_number, field, rule
