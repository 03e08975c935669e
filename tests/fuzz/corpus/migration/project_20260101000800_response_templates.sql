-- migrate:up
-- AutoCRM schema, step 8 (plan section 6): response templates (macros).
--
-- defect 12: RLS was enabled with no policy. Templates now belong to their team: the team's
-- members read and maintain them, admins manage every team template of their organization, and
-- a template without a team is the author's personal template. Customers never see templates.

create table public.response_templates (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  content text not null,
  team_id uuid references public.teams (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null,
  tags text[] not null default array[]::text[],
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.response_templates is 'Reply templates of a team (team_id) or personal to their author (team_id null)';

create trigger handle_updated_at before update on public.response_templates
  for each row execute procedure extensions.moddatetime(updated_at);

revoke all on table public.response_templates from anon;
grant select, insert, update, delete on table public.response_templates to authenticated, service_role;

alter table public.response_templates enable row level security;

-- One rule for reading and maintaining: own personal templates, templates of one's teams, and
-- (admins) templates of any team of the organization.
create policy "Staff can view team and personal templates"
  on public.response_templates for select to authenticated
  using (
    (select private.is_staff())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can create team and personal templates"
  on public.response_templates for insert to authenticated
  with check (
    (select private.is_staff())
    and author_id = (select auth.uid())
    and (team_id is null
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can update team and personal templates"
  on public.response_templates for update to authenticated
  using (
    (select private.is_staff())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  )
  with check (
    (select private.is_staff())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can delete team and personal templates"
  on public.response_templates for delete to authenticated
  using (
    (select private.is_staff())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

-- migrate:down

drop table public.response_templates;
