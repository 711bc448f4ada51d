-- Run outcomes and checkpoints of wave 2:
-- - a run stopped by its operator (Ctrl-C) is recorded as 'interrupted', not left 'running';
-- - rows_repaired counts records whose text PostgreSQL could not store as sent (a NUL or half an emoji) and that were
--   stored with U+FFFD in place of each bad code unit;
-- - cause says why a run is partial or failed in a word alerts can read (time_budget, rejected_records,
--   incomplete_listing, empty_window_contradicted, interrupted);
-- - a window being read is checkpointed as a set of id ranges, each with its own keyset cursor, so several workers
--   can read one window at once and a killed run resumes every range where it stopped.
alter table staging.etl_runs drop constraint etl_runs_status_check;
alter table staging.etl_runs add constraint etl_runs_status_check
  check (status in ('running', 'succeeded', 'partial', 'skipped', 'failed', 'interrupted'));
alter table staging.etl_runs add column rows_repaired integer not null default 0;
alter table staging.etl_runs add column cause text;

-- [{"after": <cursor>, "upTo": <last id of the range, or null for unbounded>}, ...]: the ranges still open.
alter table staging.etl_watermarks add column in_progress_ranges jsonb;
