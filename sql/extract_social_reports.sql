-- The project's default extraction query for `sql` sources: the social reports
-- changed after `since` (exclusive) up to `until` (inclusive), both bound by the
-- pipeline in UTC, with the contract's field names. A report without `updated_at`
-- (optional in the contract) counts as changed on its `submitted_on`, the contract's
-- default, so it is read once, by the run whose window holds that day.

with

social_reports as (

    select * from social_report

),

changed as (

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
        language

    from social_reports

    where coalesce(updated_at, submitted_on) > :since
        and coalesce(updated_at, submitted_on) <= :until

),

final as (

    select * from changed

)

select * from final
