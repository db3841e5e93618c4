-- Parts arrive compressed: keep them out of line without a second, pointless pglz pass
-- (affects rows written from now on).
alter table landed_content alter column content set storage external
