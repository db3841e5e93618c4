insert into landed_content (sha256, part, codec, raw_size, content)
values (:sha256, :part, :codec, :raw_size, :content)
on conflict (sha256, part) do nothing
