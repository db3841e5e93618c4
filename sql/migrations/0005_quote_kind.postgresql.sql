-- The key gains the quote's kind, in place (the table keeps its grants).
alter table quote_decision drop constraint quote_decision_pkey;

alter table quote_decision add primary key (municipality_code, report_id, kind, text_sha256)
