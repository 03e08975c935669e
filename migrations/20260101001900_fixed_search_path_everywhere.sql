-- migrate:up

-- Every AutoCRM function runs with a fixed search_path, not only the security definer ones.
-- `check` (function-search-path-mutable, like Supabase's splinter lint 0011) found three helpers of
-- 20260101001600 that ran with the caller's search_path: a caller who can create objects in a
-- schema on that path could shadow the functions they call. Their bodies already qualify every
-- table (public.tickets...), and pg_catalog is always searched, so an empty path changes nothing
-- else.
alter function private.uuid_v7() set search_path = '';
alter function private.audit_record_key(text, text, text[], jsonb) set search_path = '';
alter function private.audit_organization(text, jsonb, uuid) set search_path = '';

-- migrate:down

alter function private.audit_organization(text, jsonb, uuid) reset search_path;
alter function private.audit_record_key(text, text, text[], jsonb) reset search_path;
alter function private.uuid_v7() reset search_path;
