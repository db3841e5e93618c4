-- Every stored response line, in delivery order.
with responses as (
    select * from proposal_response
),

final as (
    select
        municipality_code,
        report_id,
        status,
        decision_ref,
        decided_on,
        response,
        responder_role,
        received_at,
        delivery_seq,
        row_number
    from responses
)

select * from final
order by delivery_seq, row_number
