-- The stored reports as the quality gate's Great Expectations asset sees them: keys and codes as
-- stored, free text only as its trimmed length (null when empty), so that no typed text can reach
-- a validation result or the Data Docs. Great Expectations wraps this statement in a subquery,
-- filters it on `quarter` with a bound batch parameter, and requires it to start with `select`:
-- hence no CTEs here.
select
    municipality_code as municipality_code,
    report_id as report_id,
    quarter as quarter,
    submitted_on as submitted_on,
    updated_at as updated_at,
    reporter_role as reporter_role,
    theme as theme,
    target_group as target_group,
    clients_affected as clients_affected,
    nullif(length(trim(phenomenon)), 0) as phenomenon_length,
    nullif(length(trim(causes)), 0) as causes_length,
    nullif(length(trim(consequences)), 0) as consequences_length,
    nullif(length(trim(proposal)), 0) as proposal_length,
    addressee_level as addressee_level,
    urgency as urgency,
    consent_to_quote as consent_to_quote,
    report_type as report_type,
    language as language
from report
