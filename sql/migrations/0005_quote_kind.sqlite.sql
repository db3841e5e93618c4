-- SQLite cannot change a primary key in place: the table is rebuilt with the kind in its key.
create table quote_decision_by_kind (
    municipality_code text not null,
    report_id text not null,
    kind text not null default 'proposal',
    text_sha256 text not null,
    quarter text not null,
    decision text not null,
    decided_at timestamp with time zone not null,
    primary key (municipality_code, report_id, kind, text_sha256)
);

insert into quote_decision_by_kind (
    municipality_code, report_id, kind, text_sha256, quarter, decision, decided_at
)
select municipality_code, report_id, kind, text_sha256, quarter, decision, decided_at
from quote_decision;

drop table quote_decision;

alter table quote_decision_by_kind rename to quote_decision;

create index if not exists quote_decision_quarter on quote_decision (quarter)
