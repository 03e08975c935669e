-- migrate:up
-- AutoCRM schema, step 3 (plan section 2): teams and team membership.
--
-- defect 2: gen_random_uuid() instead of uuid_generate_v4().
-- defect 4: teams carry organization_id.
-- defect 12: RLS was enabled with no policy; every command now has one.

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null,
  description text,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.teams is 'Agent teams of an organization; tickets and templates can belong to one';

create trigger handle_updated_at before update on public.teams
  for each row execute procedure extensions.moddatetime(updated_at);

-- Many-to-many: the composite key prevents duplicate memberships (and means no id column: the
-- audit trigger keys these rows by record_key, see the audit migration).
create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null default 'member',
  joined_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
comment on table public.team_members is 'Team membership; role is free text at team level (member, lead, ...)';

-- Helpers for policies and functions (security definer: no RLS chain through team_members).
create function private.current_user_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select tm.team_id from public.team_members tm where tm.user_id = (select auth.uid())
$$;
comment on function private.current_user_team_ids() is 'Teams the signed-in user belongs to; use as col in (select private.current_user_team_ids())';

create function private.current_org_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select t.id from public.teams t where t.organization_id = (select private.current_org_id())
$$;
comment on function private.current_org_team_ids() is 'Teams of the signed-in user''s organization';

create function private.is_team_member(p_team_id uuid, p_user_id uuid default null) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members tm
     where tm.team_id = p_team_id
       and tm.user_id = coalesce(p_user_id, (select auth.uid()))
  )
$$;
comment on function private.is_team_member(uuid, uuid) is 'True when the user (default: the signed-in user) belongs to the team';

revoke all on function private.current_user_team_ids() from public;
revoke all on function private.current_org_team_ids() from public;
revoke all on function private.is_team_member(uuid, uuid) from public;
grant execute on function private.current_user_team_ids() to authenticated, service_role;
grant execute on function private.current_org_team_ids() to authenticated, service_role;
grant execute on function private.is_team_member(uuid, uuid) to authenticated, service_role;

revoke all on table public.teams from anon;
revoke all on table public.team_members from anon;
grant select, insert, update, delete on table public.teams to authenticated, service_role;
grant select, insert, update, delete on table public.team_members to authenticated, service_role;

alter table public.teams enable row level security;
alter table public.team_members enable row level security;

-- teams: internal structure, visible to the organization's agents and admins, managed by admins.
create policy "Staff can view organization teams"
  on public.teams for select to authenticated
  using ((select private.is_staff()) and organization_id = (select private.current_org_id()));

create policy "Admins can create organization teams"
  on public.teams for insert to authenticated
  with check ((select private.is_admin()) and organization_id = (select private.current_org_id()));

create policy "Admins can update organization teams"
  on public.teams for update to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()))
  with check ((select private.is_admin()) and organization_id = (select private.current_org_id()));

create policy "Admins can delete organization teams"
  on public.teams for delete to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- team_members: visible to the organization's staff; admins manage membership, and only agents
-- or admins of their own organization can be members.
create policy "Staff can view organization team members"
  on public.team_members for select to authenticated
  using ((select private.is_staff()) and team_id in (select private.current_org_team_ids()));

create policy "Admins can add organization team members"
  on public.team_members for insert to authenticated
  with check (
    (select private.is_admin())
    and team_id in (select private.current_org_team_ids())
    and private.is_org_staff(user_id)
  );

create policy "Admins can update organization team members"
  on public.team_members for update to authenticated
  using ((select private.is_admin()) and team_id in (select private.current_org_team_ids()))
  with check (
    (select private.is_admin())
    and team_id in (select private.current_org_team_ids())
    and private.is_org_staff(user_id)
  );

create policy "Admins can remove organization team members"
  on public.team_members for delete to authenticated
  using ((select private.is_admin()) and team_id in (select private.current_org_team_ids()));

-- migrate:down

drop table public.team_members;
drop table public.teams;
drop function private.is_team_member(uuid, uuid);
drop function private.current_org_team_ids();
drop function private.current_user_team_ids();
