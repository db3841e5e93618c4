insert into proposal_response (
    delivery_sha256, row_number, delivery_seq, received_at, municipality_code, report_id,
    status, decision_ref, decided_on, response, responder_role
)
values (
    :delivery_sha256, :row_number, :delivery_seq, :received_at, :municipality_code, :report_id,
    :status, :decision_ref, :decided_on, :response, :responder_role
)
