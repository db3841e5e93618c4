-- A quote is a proposal's text or a response's (contract §6): its kind is part of the key,
-- so that a response worded like its proposal still needs its own decision.
alter table quote_decision add column kind text not null default 'proposal'
