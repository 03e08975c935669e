-- migrate:up
-- AutoCRM schema, step 17: organizations are real tenants everywhere (docs/access-matrix.md,
-- "Tenancy").
--
-- 1. The knowledge base (kb_categories, kb_articles) and response_templates belong to an
--    organization: organization_id, not null, default private.current_org_id() (so API callers
--    never name it; step 18 takes the privilege to write it away). Existing rows are backfilled:
--    * an article goes to its author's organization;
--    * a template goes to its team's organization, else to its author's;
--    * a category goes to the organization owning most of its articles; every other organization
--      with articles in it gets a copy of the category (same name, description and metadata) and
--      its articles are moved to the copy; a category's parent becomes the parent's copy in the
--      category's organization, or none when that organization has no copy;
--    * a row with no organization to derive (no author, no team, no article) goes to the oldest
--      organization.
--    Every guessed row and every copy is listed in private.tenancy_backfill (table, row, rule) for
--    an admin to review; the migration says how many there were. The down section removes the
--    copies again (articles go back to the original category).
-- 2. References inside a tenant cannot cross tenants: category, parent category and team are
--    foreign keys that include organization_id, so a row can only point at rows of its own
--    organization, for every writer, service_role included (also the shape Citus needs for
--    distribution by organization, docs/schema.md).
-- 3. Every policy of the three tables is scoped to the caller's organization.
-- 4. Analytics per organization: both materialized views are keyed by organization_id;
--    get_ticket_metrics() and get_agent_performance() return the caller's organization only and
--    take an optional organization (p_organization_id): staff may only name their own, the
--    service role any, or none for every organization. The result gains a last column,
--    organization_id.

create table private.tenancy_backfill (
  table_name text not null,
  row_id uuid not null,
  organization_id uuid not null,
  rule text not null,
  copied_from uuid,
  backfilled_at timestamptz not null default now(),
  primary key (table_name, row_id)
);
comment on table private.tenancy_backfill is 'autocrm: rows whose organization migration 20260101001700 guessed, and the category copies it made; review and reassign as needed';

alter table public.kb_categories add column organization_id uuid references public.organizations (id) on delete cascade;
alter table public.kb_articles add column organization_id uuid references public.organizations (id) on delete cascade;
alter table public.response_templates add column organization_id uuid references public.organizations (id) on delete cascade;

do $$
declare
  v_fallback uuid;
  v_home uuid;
  v_copy uuid;
  v_guessed bigint;
  c record;
  o record;
begin
  select id into v_fallback from public.organizations order by created_at, id limit 1;

  -- Articles: the author's organization.
  update public.kb_articles a set organization_id = p.organization_id
    from public.profiles p where p.id = a.author_id and p.organization_id is not null;

  -- Templates: the team's organization, else the author's.
  update public.response_templates r set organization_id = t.organization_id
    from public.teams t where t.id = r.team_id;
  update public.response_templates r set organization_id = p.organization_id
    from public.profiles p
   where r.organization_id is null and p.id = r.author_id and p.organization_id is not null;

  if v_fallback is null then
    if exists (select 1 from public.kb_articles where organization_id is null)
       or exists (select 1 from public.response_templates where organization_id is null)
       or exists (select 1 from public.kb_categories) then
      raise exception 'knowledge base or template rows exist but there is no organization to give them to'
        using errcode = '23502',
              hint = 'create the organization that owns them (insert into public.organizations) and run up again';
    end if;
    return;
  end if;

  insert into private.tenancy_backfill (table_name, row_id, organization_id, rule)
  select 'kb_articles', id, v_fallback, 'no author with an organization: the oldest organization'
    from public.kb_articles where organization_id is null;
  update public.kb_articles set organization_id = v_fallback where organization_id is null;

  insert into private.tenancy_backfill (table_name, row_id, organization_id, rule)
  select 'response_templates', id, v_fallback, 'no team and no author with an organization: the oldest organization'
    from public.response_templates where organization_id is null;
  update public.response_templates set organization_id = v_fallback where organization_id is null;

  -- Categories: the organization with most articles in it; copies for the others.
  for c in select k.id, k.name, k.description, k.parent_id, k.metadata, k.created_at
             from public.kb_categories k where k.organization_id is null order by k.created_at, k.id loop
    select a.organization_id into v_home
      from public.kb_articles a join public.organizations og on og.id = a.organization_id
     where a.category_id = c.id
     group by a.organization_id, og.created_at
     order by count(*) desc, og.created_at, a.organization_id
     limit 1;
    if v_home is null then
      v_home := v_fallback;
      insert into private.tenancy_backfill (table_name, row_id, organization_id, rule)
      values ('kb_categories', c.id, v_home, 'no article in it: the oldest organization');
    end if;
    update public.kb_categories set organization_id = v_home where id = c.id;

    for o in select distinct a.organization_id from public.kb_articles a
              where a.category_id = c.id and a.organization_id <> v_home loop
      insert into public.kb_categories (name, description, parent_id, metadata, organization_id, created_at)
      values (c.name, c.description, c.parent_id, c.metadata, o.organization_id, c.created_at)
      returning id into v_copy;
      insert into private.tenancy_backfill (table_name, row_id, organization_id, rule, copied_from)
      values ('kb_categories', v_copy, o.organization_id, 'copy for the organization''s own articles', c.id);
      update public.kb_articles set category_id = v_copy
       where category_id = c.id and organization_id = o.organization_id;
    end loop;
  end loop;

  -- A parent in another organization: that organization's copy of it, else none.
  update public.kb_categories k
     set parent_id = (select b.row_id from private.tenancy_backfill b
                       where b.table_name = 'kb_categories' and b.copied_from = k.parent_id
                         and b.organization_id = k.organization_id)
    from public.kb_categories parent
   where parent.id = k.parent_id and parent.organization_id <> k.organization_id;

  select count(*) into v_guessed from private.tenancy_backfill;
  if v_guessed > 0 then
    raise notice 'tenancy backfill: % knowledge base or template rows were given an organization by a fallback rule or copied; see private.tenancy_backfill', v_guessed;
  end if;
end
$$;

alter table public.kb_categories alter column organization_id set not null;
alter table public.kb_articles alter column organization_id set not null;
alter table public.response_templates alter column organization_id set not null;
alter table public.kb_categories alter column organization_id set default private.current_org_id();
alter table public.kb_articles alter column organization_id set default private.current_org_id();
alter table public.response_templates alter column organization_id set default private.current_org_id();
comment on column public.kb_categories.organization_id is 'Owning organization (tenant); set by the server from the caller''s profile';
comment on column public.kb_articles.organization_id is 'Owning organization (tenant); set by the server from the caller''s profile';
comment on column public.response_templates.organization_id is 'Owning organization (tenant); set by the server from the caller''s profile';
comment on table public.kb_categories is 'Knowledge base category tree of an organization';
comment on table public.kb_articles is 'Knowledge base articles of an organization; published when published_at is set and not in the future';

-- A privileged writer (service_role, the owner) that leaves organization_id out gets the
-- organization of the row's team, category or parent, else of its author; API callers never reach
-- this (their default is their own organization, and they cannot name another).
create function private.derive_organization_id() returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_row jsonb;
begin
  if new.organization_id is not null then
    return new;
  end if;
  v_row := to_jsonb(new);
  if v_row ->> 'team_id' is not null then
    select t.organization_id into new.organization_id from public.teams t where t.id = (v_row ->> 'team_id')::uuid;
  elsif v_row ->> 'category_id' is not null then
    select k.organization_id into new.organization_id from public.kb_categories k where k.id = (v_row ->> 'category_id')::uuid;
  elsif v_row ->> 'parent_id' is not null then
    select k.organization_id into new.organization_id from public.kb_categories k where k.id = (v_row ->> 'parent_id')::uuid;
  end if;
  if new.organization_id is null and v_row ->> 'author_id' is not null then
    select p.organization_id into new.organization_id from public.profiles p where p.id = (v_row ->> 'author_id')::uuid;
  end if;
  if new.organization_id is null then
    raise exception '%.%: the row''s organization_id is not given and cannot be derived', tg_table_schema, tg_table_name
      using errcode = '23502', hint = 'name organization_id, or give the row a team, category, parent or author of an organization';
  end if;
  return new;
end
$$;
comment on function private.derive_organization_id() is 'BEFORE INSERT: organization_id of a knowledge base or template row from its team, category, parent or author when the writer left it out';
revoke all on function private.derive_organization_id() from public;

create trigger derive_organization_id before insert on public.kb_categories
  for each row execute function private.derive_organization_id();
create trigger derive_organization_id before insert on public.kb_articles
  for each row execute function private.derive_organization_id();
create trigger derive_organization_id before insert on public.response_templates
  for each row execute function private.derive_organization_id();

-- References stay inside the tenant (composite keys, also what Citus needs).
alter table public.teams add constraint teams_organization_id_id_key unique (organization_id, id);
alter table public.kb_categories add constraint kb_categories_organization_id_id_key unique (organization_id, id);

alter table public.kb_categories drop constraint kb_categories_parent_id_fkey;
alter table public.kb_categories add constraint kb_categories_parent_fkey
  foreign key (organization_id, parent_id) references public.kb_categories (organization_id, id)
  on delete set null (parent_id);
alter table public.kb_articles drop constraint kb_articles_category_id_fkey;
alter table public.kb_articles add constraint kb_articles_category_fkey
  foreign key (organization_id, category_id) references public.kb_categories (organization_id, id)
  on delete set null (category_id);
alter table public.response_templates drop constraint response_templates_team_id_fkey;
alter table public.response_templates add constraint response_templates_team_fkey
  foreign key (organization_id, team_id) references public.teams (organization_id, id)
  on delete cascade;

-- The policies filter by organization first; the foreign keys look up (organization, parent).
create index idx_kb_categories_org_parent on public.kb_categories (organization_id, parent_id);
create index idx_kb_articles_org_category on public.kb_articles (organization_id, category_id);
create index idx_kb_articles_org_published on public.kb_articles (organization_id, published_at);
create index idx_response_templates_org_team on public.response_templates (organization_id, team_id);

-- Policies: the same rules as before, inside the caller's organization.
drop policy "Signed-in users can view categories" on public.kb_categories;
drop policy "Staff can create categories" on public.kb_categories;
drop policy "Staff can update categories" on public.kb_categories;
drop policy "Admins can delete categories" on public.kb_categories;

create policy "Members can view their organization's categories"
  on public.kb_categories for select to authenticated
  using (organization_id = (select private.current_org_id()));

create policy "Staff can create categories"
  on public.kb_categories for insert to authenticated
  with check ((select private.is_staff()) and organization_id = (select private.current_org_id()));

create policy "Staff can update categories"
  on public.kb_categories for update to authenticated
  using ((select private.is_staff()) and organization_id = (select private.current_org_id()))
  with check ((select private.is_staff()) and organization_id = (select private.current_org_id()));

create policy "Admins can delete categories"
  on public.kb_categories for delete to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

drop policy "Signed-in users can view published articles" on public.kb_articles;
drop policy "Staff can view all articles" on public.kb_articles;
drop policy "Staff can write articles as themselves" on public.kb_articles;
drop policy "Staff can update articles" on public.kb_articles;
drop policy "Authors and admins can delete articles" on public.kb_articles;

create policy "Members can view published articles"
  on public.kb_articles for select to authenticated
  using (organization_id = (select private.current_org_id())
         and published_at is not null and published_at <= now());

create policy "Staff can view all articles"
  on public.kb_articles for select to authenticated
  using ((select private.is_staff()) and organization_id = (select private.current_org_id()));

create policy "Staff can write articles as themselves"
  on public.kb_articles for insert to authenticated
  with check ((select private.is_staff()) and author_id = (select auth.uid())
              and organization_id = (select private.current_org_id()));

create policy "Staff can update articles"
  on public.kb_articles for update to authenticated
  using ((select private.is_staff()) and organization_id = (select private.current_org_id()))
  with check ((select private.is_staff()) and organization_id = (select private.current_org_id()));

create policy "Authors and admins can delete articles"
  on public.kb_articles for delete to authenticated
  using (
    organization_id = (select private.current_org_id())
    and ((select private.is_admin())
         or ((select private.is_staff()) and author_id = (select auth.uid())))
  );

drop policy "Staff can view team and personal templates" on public.response_templates;
drop policy "Staff can create team and personal templates" on public.response_templates;
drop policy "Staff can update team and personal templates" on public.response_templates;
drop policy "Staff can delete team and personal templates" on public.response_templates;

create policy "Staff can view team and personal templates"
  on public.response_templates for select to authenticated
  using (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can create team and personal templates"
  on public.response_templates for insert to authenticated
  with check (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and author_id = (select auth.uid())
    and (team_id is null
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can update team and personal templates"
  on public.response_templates for update to authenticated
  using (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  )
  with check (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

create policy "Staff can delete team and personal templates"
  on public.response_templates for delete to authenticated
  using (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and ((team_id is null and author_id = (select auth.uid()))
         or team_id in (select private.current_user_team_ids())
         or ((select private.is_admin()) and team_id in (select private.current_org_team_ids())))
  );

-- Analytics keyed by organization. The functions read the views; nothing else depends on them.
drop function public.get_ticket_metrics(timestamptz, timestamptz);
drop function public.get_agent_performance(timestamptz, timestamptz);
drop materialized view analytics.agent_performance;
drop materialized view analytics.ticket_metrics;

create materialized view analytics.ticket_metrics as
select
  t.organization_id,
  date_trunc('day', t.created_at, 'UTC') as day,
  count(*) as total_tickets,
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time  -- seconds
from public.tickets t
group by 1, 2;
comment on materialized view analytics.ticket_metrics is 'Tickets per organization and UTC day: created, resolved, mean resolution time in seconds';
create unique index idx_ticket_metrics_org_day on analytics.ticket_metrics (organization_id, day);

create materialized view analytics.agent_performance as
select
  t.organization_id,
  date_trunc('day', t.created_at, 'UTC') as day,
  t.assigned_agent_id,
  count(*) as total_tickets,
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time,
  coalesce(sum(m.message_count), 0)::bigint as total_messages
from public.tickets t
left join (
  select ms.ticket_id, count(*) as message_count
    from public.messages ms
   group by ms.ticket_id
) m on m.ticket_id = t.id
where t.assigned_agent_id is not null
group by 1, 2, 3;
comment on materialized view analytics.agent_performance is 'Tickets per organization, UTC day and assigned agent: created, resolved, mean resolution time, messages';
create unique index idx_agent_performance_org_day_agent on analytics.agent_performance (organization_id, day, assigned_agent_id);

revoke all on analytics.ticket_metrics from public, anon, authenticated;
revoke all on analytics.agent_performance from public, anon, authenticated;

-- The organization whose analytics the caller may read: their own (staff), the one asked for or
-- null for all (service role); 42501 for everybody else and for staff naming another one.
create function private.analytics_organization(p_organization_id uuid) returns uuid
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_role public.user_role;
  v_org uuid;
begin
  if (select private.is_service_caller()) then
    return p_organization_id;
  end if;
  -- One look-up of the caller's profile for both the role and the organization.
  select p.role, p.organization_id into v_role, v_org
    from public.profiles p where p.id = (select auth.uid());
  if v_role is null or v_role not in ('agent', 'admin') then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  if p_organization_id is not null and p_organization_id is distinct from v_org then
    raise exception 'analytics of another organization are not available' using errcode = '42501',
      hint = 'leave p_organization_id null: staff read their own organization';
  end if;
  return v_org;
end
$$;
comment on function private.analytics_organization(uuid) is 'Organization whose analytics the caller may read (null: all, service role only); 42501 otherwise';
-- Only the two security definer functions below call it (as its owner): no grant to anybody.
revoke all on function private.analytics_organization(uuid) from public, anon, authenticated, service_role;

create function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null,
                                          p_organization_id uuid default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric,
               organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_org uuid := private.analytics_organization(p_organization_id);
begin
  if v_org is null and (select private.is_service_caller()) then
    return query
      select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
        from analytics.ticket_metrics m
       where m.day >= coalesce(p_from, '-infinity'::timestamptz)
         and m.day < coalesce(p_to, 'infinity'::timestamptz)
       order by m.day, m.organization_id;
    return;
  end if;
  return query
    select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time, m.organization_id
      from analytics.ticket_metrics m
     where m.organization_id = v_org
       and m.day >= coalesce(p_from, '-infinity'::timestamptz)
       and m.day < coalesce(p_to, 'infinity'::timestamptz)
     order by m.day;
end
$$;
comment on function public.get_ticket_metrics(timestamptz, timestamptz, uuid) is 'Ticket figures per day in [p_from, p_to) of the caller''s organization; service_role: of p_organization_id, or of every organization when null';

create function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null,
                                             p_organization_id uuid default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint, organization_id uuid)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_org uuid := private.analytics_organization(p_organization_id);
begin
  if v_org is null and (select private.is_service_caller()) then
    return query
      select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
             ap.avg_resolution_time, ap.total_messages, ap.organization_id
        from analytics.agent_performance ap
       where ap.day >= coalesce(p_from, '-infinity'::timestamptz)
         and ap.day < coalesce(p_to, 'infinity'::timestamptz)
       order by ap.day, ap.assigned_agent_id;
    return;
  end if;
  return query
    select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
           ap.avg_resolution_time, ap.total_messages, ap.organization_id
      from analytics.agent_performance ap
     where ap.organization_id = v_org
       and ap.day >= coalesce(p_from, '-infinity'::timestamptz)
       and ap.day < coalesce(p_to, 'infinity'::timestamptz)
     order by ap.day, ap.assigned_agent_id;
end
$$;
comment on function public.get_agent_performance(timestamptz, timestamptz, uuid) is 'Agent figures per day in [p_from, p_to) of the caller''s organization; service_role: of p_organization_id, or of every organization when null';

revoke all on function public.get_ticket_metrics(timestamptz, timestamptz, uuid) from public, anon;
revoke all on function public.get_agent_performance(timestamptz, timestamptz, uuid) from public, anon;
grant execute on function public.get_ticket_metrics(timestamptz, timestamptz, uuid) to authenticated, service_role;
grant execute on function public.get_agent_performance(timestamptz, timestamptz, uuid) to authenticated, service_role;

-- migrate:down

-- Analytics as in steps 9 and 14: deployment-wide ticket figures, agents filtered by profile.
drop function public.get_agent_performance(timestamptz, timestamptz, uuid);
drop function public.get_ticket_metrics(timestamptz, timestamptz, uuid);
drop function private.analytics_organization(uuid);
drop materialized view analytics.agent_performance;
drop materialized view analytics.ticket_metrics;

create materialized view analytics.ticket_metrics as
select
  date_trunc('day', t.created_at, 'UTC') as day,
  count(*) as total_tickets,
  -- tickets that reached resolution (resolved, or closed afterwards)
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time  -- seconds
from public.tickets t
group by 1;
comment on materialized view analytics.ticket_metrics is 'Tickets per UTC day: created, resolved, mean resolution time in seconds';
create unique index idx_ticket_metrics_day on analytics.ticket_metrics (day);

create materialized view analytics.agent_performance as
select
  date_trunc('day', t.created_at, 'UTC') as day,
  t.assigned_agent_id,
  count(*) as total_tickets,
  count(*) filter (where t.resolved_at is not null) as resolved_tickets,
  avg(extract(epoch from (t.resolved_at - t.created_at))) as avg_resolution_time,
  coalesce(sum(m.message_count), 0)::bigint as total_messages
from public.tickets t
left join (
  select ms.ticket_id, count(*) as message_count
    from public.messages ms
   group by ms.ticket_id
) m on m.ticket_id = t.id
where t.assigned_agent_id is not null
group by 1, 2;
comment on materialized view analytics.agent_performance is 'Tickets per UTC day and assigned agent: created, resolved, mean resolution time, messages';
create unique index idx_agent_performance_day_agent on analytics.agent_performance (day, assigned_agent_id);

revoke all on analytics.ticket_metrics from public, anon, authenticated;
revoke all on analytics.agent_performance from public, anon, authenticated;

create function public.get_ticket_metrics(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, total_tickets bigint, resolved_tickets bigint, avg_resolution_time numeric)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not ((select private.is_service_caller()) or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select m.day, m.total_tickets, m.resolved_tickets, m.avg_resolution_time
      from analytics.ticket_metrics m
     where m.day >= coalesce(p_from, '-infinity'::timestamptz)
       and m.day < coalesce(p_to, 'infinity'::timestamptz)
     order by m.day;
end
$$;
comment on function public.get_ticket_metrics(timestamptz, timestamptz) is 'Rows of analytics.ticket_metrics in [p_from, p_to); agents, admins and service_role only';

create function public.get_agent_performance(p_from timestamptz default null, p_to timestamptz default null)
returns table (day timestamptz, assigned_agent_id uuid, total_tickets bigint, resolved_tickets bigint,
               avg_resolution_time numeric, total_messages bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_service boolean := (select private.is_service_caller());
  v_org uuid := (select private.current_org_id());
begin
  if not (v_service or (select private.is_staff())) then
    raise exception 'analytics are available to agents and admins only' using errcode = '42501';
  end if;
  return query
    select ap.day, ap.assigned_agent_id, ap.total_tickets, ap.resolved_tickets,
           ap.avg_resolution_time, ap.total_messages
      from analytics.agent_performance ap
     where ap.day >= coalesce(p_from, '-infinity'::timestamptz)
       and ap.day < coalesce(p_to, 'infinity'::timestamptz)
       and (v_service
            or (select p.organization_id from public.profiles p where p.id = ap.assigned_agent_id) = v_org)
     order by ap.day, ap.assigned_agent_id;
end
$$;
comment on function public.get_agent_performance(timestamptz, timestamptz) is 'Rows of analytics.agent_performance in [p_from, p_to) for the caller''s organization; agents, admins and service_role only';

revoke all on function public.get_ticket_metrics(timestamptz, timestamptz) from public, anon;
revoke all on function public.get_agent_performance(timestamptz, timestamptz) from public, anon;
grant execute on function public.get_ticket_metrics(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.get_agent_performance(timestamptz, timestamptz) to authenticated, service_role;

-- Policies of steps 6 and 8.
drop policy "Staff can delete team and personal templates" on public.response_templates;
drop policy "Staff can update team and personal templates" on public.response_templates;
drop policy "Staff can create team and personal templates" on public.response_templates;
drop policy "Staff can view team and personal templates" on public.response_templates;

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

drop policy "Authors and admins can delete articles" on public.kb_articles;
drop policy "Staff can update articles" on public.kb_articles;
drop policy "Staff can write articles as themselves" on public.kb_articles;
drop policy "Staff can view all articles" on public.kb_articles;
drop policy "Members can view published articles" on public.kb_articles;

create policy "Signed-in users can view published articles"
  on public.kb_articles for select to authenticated
  using (published_at is not null and published_at <= now());

create policy "Staff can view all articles"
  on public.kb_articles for select to authenticated
  using ((select private.is_staff()));

create policy "Staff can write articles as themselves"
  on public.kb_articles for insert to authenticated
  with check ((select private.is_staff()) and author_id = (select auth.uid()));

create policy "Staff can update articles"
  on public.kb_articles for update to authenticated
  using ((select private.is_staff()))
  with check ((select private.is_staff()));

create policy "Authors and admins can delete articles"
  on public.kb_articles for delete to authenticated
  using (
    (select private.is_admin())
    or ((select private.is_staff()) and author_id = (select auth.uid()))
  );

drop policy "Admins can delete categories" on public.kb_categories;
drop policy "Staff can update categories" on public.kb_categories;
drop policy "Staff can create categories" on public.kb_categories;
drop policy "Members can view their organization's categories" on public.kb_categories;

create policy "Signed-in users can view categories"
  on public.kb_categories for select to authenticated
  using (true);

create policy "Staff can create categories"
  on public.kb_categories for insert to authenticated
  with check ((select private.is_staff()));

create policy "Staff can update categories"
  on public.kb_categories for update to authenticated
  using ((select private.is_staff()))
  with check ((select private.is_staff()));

create policy "Admins can delete categories"
  on public.kb_categories for delete to authenticated
  using ((select private.is_admin()));

drop trigger derive_organization_id on public.response_templates;
drop trigger derive_organization_id on public.kb_articles;
drop trigger derive_organization_id on public.kb_categories;
drop function private.derive_organization_id();
drop index public.idx_response_templates_org_team;
drop index public.idx_kb_articles_org_published;
drop index public.idx_kb_articles_org_category;
drop index public.idx_kb_categories_org_parent;

-- The category copies go away: their articles and children point at the original again.
update public.kb_articles a set category_id = b.copied_from
  from private.tenancy_backfill b
 where b.table_name = 'kb_categories' and b.copied_from is not null and a.category_id = b.row_id;

alter table public.response_templates drop constraint response_templates_team_fkey;
alter table public.response_templates add constraint response_templates_team_id_fkey
  foreign key (team_id) references public.teams (id) on delete cascade;
alter table public.kb_articles drop constraint kb_articles_category_fkey;
alter table public.kb_articles add constraint kb_articles_category_id_fkey
  foreign key (category_id) references public.kb_categories (id) on delete set null;
alter table public.kb_categories drop constraint kb_categories_parent_fkey;
alter table public.kb_categories add constraint kb_categories_parent_id_fkey
  foreign key (parent_id) references public.kb_categories (id) on delete set null;
alter table public.kb_categories drop constraint kb_categories_organization_id_id_key;
alter table public.teams drop constraint teams_organization_id_id_key;

update public.kb_categories k set parent_id = b.copied_from
  from private.tenancy_backfill b
 where b.table_name = 'kb_categories' and b.copied_from is not null and k.parent_id = b.row_id;
delete from public.kb_categories k
 using private.tenancy_backfill b
 where b.table_name = 'kb_categories' and b.copied_from is not null and k.id = b.row_id;

comment on table public.kb_categories is 'Knowledge base category tree (shared by the deployment, as in the plan)';
comment on table public.kb_articles is 'Knowledge base articles; published when published_at is set and not in the future';
alter table public.response_templates drop column organization_id;
alter table public.kb_articles drop column organization_id;
alter table public.kb_categories drop column organization_id;
drop table private.tenancy_backfill;
