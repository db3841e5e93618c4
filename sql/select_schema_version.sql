with versions as (
    select version from schema_version
),

final as (
    select max(version) as version from versions
)

select * from final
