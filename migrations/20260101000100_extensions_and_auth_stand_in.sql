-- migrate:up
-- AutoCRM schema, step 1: API roles, bookkeeping schema, extensions and the Supabase auth stand-in.
--
-- Fixes defect 1 (moddatetime is created here, before any updated_at trigger), defect 2 (no
-- uuid-ossp: every table uses the built-in gen_random_uuid()), defect 3 (roles and auth stand-in
-- where Supabase's own is absent) and defect 5 (extensions live in schema "extensions", never in
-- public).
--
-- Everything that may already exist on a Supabase project (the roles, schema extensions, the
-- extensions themselves, schema auth, the usage grant on public) is created only when missing, and
-- what this file did create is recorded in private.installed_objects so that the down section
-- removes exactly that and nothing of Supabase's own.

-- Supabase's API roles. Roles are cluster-wide: create them only if missing and never drop them.
-- service_role bypasses row level security as on Supabase. Another database of the same cluster
-- may be creating them at the same moment: losing that race is fine (duplicate_object or, while
-- the other transaction commits, unique_violation on pg_authid).
do $$
declare
  wanted constant text[][] := array[['anon', 'nologin noinherit'], ['authenticated', 'nologin noinherit'],
                                    ['service_role', 'nologin noinherit bypassrls']];
begin
  for i in 1 .. array_length(wanted, 1) loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = wanted[i][1]) then
      begin
        execute format('create role %I %s', wanted[i][1], wanted[i][2]);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

-- Non-exposed schema for security definer helpers, bookkeeping and audit partitions. PostgREST
-- never serves it; authenticated needs usage only so that policies can call the helpers.
create schema private;
comment on schema private is 'autocrm: internal helpers, bookkeeping and audit log partitions; never exposed through the API';
grant usage on schema private to authenticated, service_role;

-- What the migrations created conditionally (so down drops only that).
create table private.installed_objects (
  object_type text not null,
  object_name text not null,
  installed_at timestamptz not null default now(),
  primary key (object_type, object_name)
);
comment on table private.installed_objects is 'autocrm: objects created only because they were missing (extensions, schemas, grants); the down sections remove exactly these';

-- Durable trace of optional features a migration had to skip (defect 19: never silent).
create table private.skipped_features (
  feature text primary key,
  reason text not null,
  skipped_at timestamptz not null default now()
);
comment on table private.skipped_features is 'autocrm: optional features skipped on this server (e.g. pgvector absent); read by status/check tooling';

-- defect 5: extensions go to schema extensions, created only if missing (Supabase has it).
do $$
begin
  if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'extensions') then
    create schema extensions;
    comment on schema extensions is 'autocrm-migrate stand-in for Supabase''s extensions schema';
    -- Supabase lets the API roles use (not create in) the extensions schema.
    grant usage on schema extensions to anon, authenticated, service_role;
    insert into private.installed_objects (object_type, object_name) values ('schema', 'extensions');
  end if;

  -- defect 1: moddatetime backs every handle_updated_at trigger.
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'moddatetime') then
    create extension moddatetime schema extensions;
    insert into private.installed_objects (object_type, object_name) values ('extension', 'moddatetime');
  end if;
  -- The plan asks for pgcrypto (section 8); gen_random_uuid() itself is built in (defect 2).
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pgcrypto') then
    create extension pgcrypto schema extensions;
    insert into private.installed_objects (object_type, object_name) values ('extension', 'pgcrypto');
  end if;
end
$$;

-- defect 3: a faithful stand-in for Supabase's auth schema, only where it is absent. The schema
-- comment is the marker the down section checks before dropping anything.
do $$
begin
  if exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth') then
    raise notice 'schema auth already exists (Supabase): the autocrm auth stand-in is not installed';
    return;
  end if;

  create schema auth;
  comment on schema auth is 'autocrm-migrate stand-in for Supabase auth (plain PostgreSQL only)';
  grant usage on schema auth to anon, authenticated, service_role;

  -- A reasonable subset of Supabase's auth.users.
  create table auth.users (
    instance_id uuid,
    id uuid not null primary key default gen_random_uuid(),
    aud varchar(255),
    role varchar(255),
    email varchar(255) unique,
    phone text unique,
    raw_app_meta_data jsonb default '{}'::jsonb,
    raw_user_meta_data jsonb default '{}'::jsonb,
    is_anonymous boolean not null default false,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    last_sign_in_at timestamptz
  );

  -- The three helpers exactly as Supabase defines them (legacy per-claim settings first).
  create function auth.uid() returns uuid language sql stable as $fn$
    select coalesce(
      nullif(current_setting('request.jwt.claim.sub', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
  $fn$;
  create function auth.role() returns text language sql stable as $fn$
    select coalesce(
      nullif(current_setting('request.jwt.claim.role', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
  $fn$;
  create function auth.jwt() returns jsonb language sql stable as $fn$
    select coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
  $fn$;
end
$$;

-- The API roles use schema public the way Supabase grants it; recorded only if this file added it.
do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (
      select 1
        from pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
       where n.nspname = 'public' and a.privilege_type = 'USAGE' and a.grantee = r::regrole
    ) then
      execute format('grant usage on schema public to %I', r);
      insert into private.installed_objects (object_type, object_name) values ('grant', 'usage on schema public to ' || r);
    end if;
  end loop;
end
$$;

-- migrate:down

-- Revoke the public-schema usage grants this file added (never Supabase's own).
do $$
declare
  g record;
begin
  for g in select object_name from private.installed_objects
            where object_type = 'grant' and object_name like 'usage on schema public to %' loop
    execute format('revoke usage on schema public from %I', substr(g.object_name, length('usage on schema public to ') + 1));
  end loop;
end
$$;

-- Drop the auth stand-in only when it carries our marker.
do $$
begin
  if obj_description((select oid from pg_catalog.pg_namespace where nspname = 'auth'), 'pg_namespace')
       = 'autocrm-migrate stand-in for Supabase auth (plain PostgreSQL only)' then
    drop function auth.jwt();
    drop function auth.role();
    drop function auth.uid();
    drop table auth.users;
    drop schema auth;
  end if;
end
$$;

-- Extensions and schema extensions: only what this file created.
do $$
begin
  if exists (select 1 from private.installed_objects where object_type = 'extension' and object_name = 'pgcrypto') then
    drop extension pgcrypto;
  end if;
  if exists (select 1 from private.installed_objects where object_type = 'extension' and object_name = 'moddatetime') then
    drop extension moddatetime;
  end if;
  if exists (select 1 from private.installed_objects where object_type = 'schema' and object_name = 'extensions') then
    drop schema extensions;
  end if;
end
$$;

-- The roles anon, authenticated and service_role are cluster-wide and deliberately kept.
drop table private.skipped_features;
drop table private.installed_objects;
drop schema private;
