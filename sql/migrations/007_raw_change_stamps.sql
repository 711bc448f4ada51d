-- Change stamps no writer can forget. The analytics refresh finds raw changes by last_changed_at between its
-- checkpoint and a high mark it takes while fencing writers (shared/db/changeFence.ts). That was correct only for
-- writers that took the fence's shared lock before stamping, through the raw writer's helper. A trigger on every
-- raw table now does both for any insert or update that changes a row (a new row, a new payload, deleted_at set or
-- cleared): it takes the shared lock, then stamps. The stamp is never below the last fence mark, so a clock that
-- steps back cannot hide a change behind a refresh checkpoint either.
create table staging.raw_change_fence (
  singleton  boolean primary key default true check (singleton),
  -- The high mark of the last fence: every stamp taken after it is later.
  mark       timestamptz
);
insert into staging.raw_change_fence (singleton) values (true);

create function raw.stamp_change() returns trigger
  language plpgsql
  as $$
begin
  if tg_op = 'INSERT'
     or new.payload_sha256 is distinct from old.payload_sha256
     or new.deleted_at is distinct from old.deleted_at then
    -- The fence's shared lock (LOCK_NAMESPACE "PHC!", LockKey.rawWrite in shared/db/advisoryLock.ts), then the stamp.
    perform pg_advisory_xact_lock_shared(1346913057, 3);
    new.last_changed_at := greatest(
      clock_timestamp(),
      coalesce((select fence.mark from staging.raw_change_fence as fence), '-infinity'::timestamptz) + interval '1 microsecond'
    );
  end if;
  return new;
end
$$;

create trigger stamp_change before insert or update on raw.prestashop_customers for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_products for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_orders for each row execute function raw.stamp_change();
