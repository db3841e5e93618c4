insert into cell_lineage (
    quarter, level, area_code, theme, target_group, municipality_code, report_id
)
values (
    :quarter, :level, :area_code, :theme, :target_group, :municipality_code, :report_id
)
