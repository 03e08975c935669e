-- migrate:up
-- AutoCRM schema, step 2 (plan section 1): organizations, profiles and the role helpers.
--
-- defect 1: each handle_updated_at trigger is created after its table.
-- defect 4: organizations is created here, and profiles carries organization_id.
-- defect 9: role checks go through small security definer helpers in schema private with an
--           empty search_path, so policies on profiles never select from profiles themselves.
-- defect 16: auth.uid() and the helpers are wrapped as (select ...) so they run once per query.

create type public.user_role as enum ('customer', 'agent', 'admin');

-- The tenant: a company running its help desk on AutoCRM. Its admins, agents, teams, tickets and
-- customers all carry its id.
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  domain text,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.organizations is 'Tenants: every profile, team and ticket belongs to one organization';

create trigger handle_updated_at before update on public.organizations
  for each row execute procedure extensions.moddatetime(updated_at);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  role public.user_role not null default 'customer',
  full_name text,
  avatar_url text,
  organization_id uuid references public.organizations (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'One row per auth.users user: role and organization drive every policy';

create trigger handle_updated_at before update on public.profiles
  for each row execute procedure extensions.moddatetime(updated_at);

-- Role helpers (defect 9). security definer + search_path '' so that they read profiles without
-- row level security and cannot be hijacked; stable so that (select ...) calls run once per query.
create function private.current_user_role() returns public.user_role
language sql stable security definer set search_path = ''
as $$
  select p.role from public.profiles p where p.id = (select auth.uid())
$$;
comment on function private.current_user_role() is 'Role of the signed-in user (null without a profile)';

create function private.current_org_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select p.organization_id from public.profiles p where p.id = (select auth.uid())
$$;
comment on function private.current_org_id() is 'Organization of the signed-in user (null without one)';

create function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role = 'admin'
  )
$$;
comment on function private.is_admin() is 'True when the signed-in user is an admin';

create function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = (select auth.uid()) and p.role in ('agent', 'admin')
  )
$$;
comment on function private.is_staff() is 'True when the signed-in user is an agent or an admin';

create function private.is_org_staff(p_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = p_user_id
       and p.role in ('agent', 'admin')
       and p.organization_id = (select private.current_org_id())
  )
$$;
comment on function private.is_org_staff(uuid) is 'True when the given user is an agent or admin of the signed-in user''s organization';

-- True when the caller is not an API user: a direct login (migrations, pg_cron, the SQL editor)
-- or service_role. Reads the session's role setting, which security definer does not change.
create function private.is_service_caller() returns boolean
language sql stable set search_path = ''
as $$
  select coalesce(nullif(current_setting('role', true), 'none'), session_user::text)
         not in ('anon', 'authenticated')
$$;
comment on function private.is_service_caller() is 'True for service_role and direct (non-API) sessions, false for anon and authenticated';

revoke all on function private.current_user_role() from public;
revoke all on function private.current_org_id() from public;
revoke all on function private.is_admin() from public;
revoke all on function private.is_staff() from public;
revoke all on function private.is_org_staff(uuid) from public;
revoke all on function private.is_service_caller() from public;
grant execute on function private.current_user_role() to authenticated, service_role;
grant execute on function private.current_org_id() to authenticated, service_role;
grant execute on function private.is_admin() to authenticated, service_role;
grant execute on function private.is_staff() to authenticated, service_role;
grant execute on function private.is_org_staff(uuid) to authenticated, service_role;
grant execute on function private.is_service_caller() to authenticated, service_role;

-- Privileges: anon gets nothing (also undoes Supabase's default grants); RLS decides the rest.
revoke all on table public.organizations from anon;
revoke all on table public.profiles from anon;
grant select, insert, update, delete on table public.organizations to authenticated, service_role;
grant select, insert, update, delete on table public.profiles to authenticated, service_role;

alter table public.organizations enable row level security;
alter table public.profiles enable row level security;

-- organizations: members read their own; its admins update it; creating and deleting tenants is
-- provisioning work for service_role.
create policy "Members can view own organization"
  on public.organizations for select to authenticated
  using (id = (select private.current_org_id()));

create policy "Admins can update own organization"
  on public.organizations for update to authenticated
  using ((select private.is_admin()) and id = (select private.current_org_id()))
  with check ((select private.is_admin()) and id = (select private.current_org_id()));

-- profiles
create policy "Users can view own profile"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()));

-- Agents and admins see the profiles of their organization (customers' names on tickets).
create policy "Staff can view organization profiles"
  on public.profiles for select to authenticated
  using ((select private.is_staff()) and organization_id = (select private.current_org_id()));

-- A user may create only their own profile, and only as a customer (no self-promotion).
create policy "Users can insert own profile"
  on public.profiles for insert to authenticated
  with check (id = (select auth.uid()) and role = 'customer');

create policy "Admins can insert organization profiles"
  on public.profiles for insert to authenticated
  with check ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- Own profile: name, avatar and metadata only. The check compares with the stored role and
-- organization (the helpers see the row as it was before this update).
create policy "Users can update own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (
    id = (select auth.uid())
    and role = (select private.current_user_role())
    and organization_id is not distinct from (select private.current_org_id())
  );

create policy "Admins can update organization profiles"
  on public.profiles for update to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()))
  with check ((select private.is_admin()) and organization_id = (select private.current_org_id()));

create policy "Admins can delete organization profiles"
  on public.profiles for delete to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- migrate:down

drop table public.profiles;
drop table public.organizations;
drop function private.is_service_caller();
drop function private.is_org_staff(uuid);
drop function private.is_staff();
drop function private.is_admin();
drop function private.current_org_id();
drop function private.current_user_role();
drop type public.user_role;
