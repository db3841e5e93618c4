insert into watermark (source_id, extracted_until)
values (:source_id, :extracted_until)
on conflict (source_id) do update set extracted_until = excluded.extracted_until
where excluded.extracted_until > watermark.extracted_until
