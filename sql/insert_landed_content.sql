insert into landed_content (sha256, content)
values (:sha256, :content)
on conflict (sha256) do nothing
