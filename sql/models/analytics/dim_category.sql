-- dim_category: the categories the shop has (raw rows marked deleted drop out), names in the default language, and
-- each one's path from the top of the tree ("Home > Clothes > Men"; the technical root, the category without a
-- parent, heads no path but its own). A path depends on every ancestor, and the table is small: when any category
-- changed it is rebuilt whole. renamed_categories lists those whose name or path changed (new and gone ones
-- included): the products naming them are refreshed (refresh/expand_changed_keys.sql).
create temp table categories_before on commit drop as
select dim.category_id, dim.category_name, dim.category_path
from analytics.dim_category as dim
where exists (select from chg_categories);

delete from analytics.dim_category
where exists (select from chg_categories);

insert into analytics.dim_category (
  category_id, parent_category_id, category_name, category_path, level_depth, is_active, is_root_category, position,
  created_at_local, updated_at_local
)
with recursive params as (
  select default_lang_id from _refresh
),

source as (
  select
    raw_categories.id, fields.id_parent, fields.name, fields.level_depth, fields.active, fields.is_root_category,
    fields.position, fields.date_add, fields.date_upd
  from raw.prestashop_categories as raw_categories
  cross join lateral jsonb_to_record(raw_categories.payload) as fields (
    id_parent text, name jsonb, level_depth text, active text, is_root_category text, position text,
    date_add text, date_upd text
  )
  where raw_categories.deleted_at is null
    and exists (select from chg_categories)
),

typed as (
  select
    source.id as category_id,
    nullif(staging.ps_id(source.id_parent), 0) as parent_category_id,
    nullif(staging.ps_lang(source.name, params.default_lang_id), '') as category_name,
    staging.ps_int(source.level_depth) as level_depth,
    staging.ps_bool(source.active) as is_active,
    staging.ps_bool(source.is_root_category) as is_root_category,
    staging.ps_int(source.position) as position,
    staging.ps_timestamp(source.date_add) as created_at_local,
    staging.ps_timestamp(source.date_upd) as updated_at_local
  from source
  cross join params
),

-- Walked down from the tops: the technical root (no parent) and categories whose parent the shop does not have.
-- visited stops a cycle that bad data could make.
tree (category_id, category_path, child_prefix, visited) as (
  select
    typed.category_id,
    typed.category_name,
    case when typed.parent_category_id is null then null else typed.category_name end,
    array[typed.category_id]
  from typed
  where typed.parent_category_id is null
    or not exists (select from typed as parent where parent.category_id = typed.parent_category_id)
  union all
  select
    child.category_id,
    concat_ws(' > ', tree.child_prefix, child.category_name),
    concat_ws(' > ', tree.child_prefix, child.category_name),
    tree.visited || child.category_id
  from tree
  inner join typed as child on child.parent_category_id = tree.category_id
  where child.category_id <> all(tree.visited)
    and cardinality(tree.visited) < 100
)

select
  typed.category_id, typed.parent_category_id, typed.category_name, tree.category_path, typed.level_depth,
  typed.is_active, typed.is_root_category, typed.position, typed.created_at_local, typed.updated_at_local
from typed
left join tree on tree.category_id = typed.category_id;

create temp table renamed_categories on commit drop as
select distinct changed.category_id
from (
  (
    select categories_before.category_id, categories_before.category_name, categories_before.category_path
    from categories_before
    except
    select dim.category_id, dim.category_name, dim.category_path
    from analytics.dim_category as dim
  )
  union all
  (
    select dim.category_id, dim.category_name, dim.category_path
    from analytics.dim_category as dim
    where exists (select from chg_categories)
    except
    select categories_before.category_id, categories_before.category_name, categories_before.category_path
    from categories_before
  )
) as changed;
