-- The project's default extraction query for `sql` sources: the social reports
-- changed after `since` (exclusive) up to `until` (inclusive), both bound by the
-- pipeline in UTC, with the contract's field names. A report without `updated_at`
-- (optional in the contract) is read on every run, as no watermark can tell when it
-- changed: the duplicate rule keeps one copy, and an extract that holds nothing new
-- has the bytes of the last one, which the pipeline recognises and skips.

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

    where (updated_at > :since and updated_at <= :until)
        or updated_at is null

),

final as (

    select * from changed

)

select * from final
