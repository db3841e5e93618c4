delete from landed_content where sha256 = :sha256
