with lineage as (
    select * from cell_lineage
),

final as (
    select municipality_code, report_id
    from lineage
    where quarter = :quarter
        and area_code = :area_code
        and theme = :theme
        and target_group = :target_group
)

select * from final
order by municipality_code, report_id
