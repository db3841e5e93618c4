delete from cell_lineage where quarter = :quarter
