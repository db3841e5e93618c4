insert into landed_content (sha256, part, content)
values (:sha256, :part, :content)
on conflict (sha256, part) do nothing
