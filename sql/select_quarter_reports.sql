with reports as (
    select * from report
),

final as (
    select
        report_id,
        municipality_code,
        submitted_on,
        updated_at,
        reporter_role,
        theme,
        secondary_themes,
        target_group,
        clients_affected,
        phenomenon,
        causes,
        consequences,
        proposal,
        addressee_level,
        urgency,
        consent_to_quote,
        report_type,
        language,
        source_id,
        delivery,
        delivery_sha256,
        delivery_seq,
        row_number
    from reports
    where quarter in :quarters
)

select * from final
order by municipality_code, report_id
