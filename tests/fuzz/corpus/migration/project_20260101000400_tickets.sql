-- migrate:up
-- AutoCRM schema, step 4 (plan section 3): tickets.
--
-- defect 4: tickets carry organization_id (derived from the customer when not given).
-- defect 12: tickets had only a select policy; insert, update and delete are written out.
-- defect 13: the assigned agent (assigned_agent_id) sees the ticket, not only its team.
-- defect 16: (select auth.uid()) and (select private.helper()) run once per query.
--
-- Help-desk rules beyond the plan (see docs/access-matrix.md):
-- * only admins change assignment directly; agents hand a ticket off with public.assign_ticket()
--   and never assign a ticket to themselves;
-- * an assigned agent must be an agent/admin of the ticket's organization and, when a team is
--   set too, a member of that team (checked for every writer, service_role included);
-- * resolved_at/closed_at always follow status (trigger + check constraints).

create type public.ticket_status as enum ('new', 'open', 'pending', 'resolved', 'closed');
create type public.ticket_priority as enum ('low', 'medium', 'high', 'urgent');

create table public.tickets (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid references public.organizations (id) on delete cascade,
  title text not null,
  description text,
  status public.ticket_status not null default 'new',
  priority public.ticket_priority not null default 'medium',
  customer_id uuid references public.profiles (id),
  assigned_agent_id uuid references public.profiles (id) on delete set null,
  assigned_team_id uuid references public.teams (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  tags text[] not null default array[]::text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  resolved_at timestamptz,
  closed_at timestamptz,
  -- resolved/closed tickets have resolved_at; only closed ones have closed_at.
  constraint tickets_resolved_at_matches_status
    check ((resolved_at is not null) = (status in ('resolved', 'closed'))),
  constraint tickets_closed_at_matches_status
    check ((closed_at is not null) = (status = 'closed'))
);
comment on table public.tickets is 'Support tickets; status timestamps and assignment rules are enforced by trigger guard_ticket_write';

create trigger handle_updated_at before update on public.tickets
  for each row execute procedure extensions.moddatetime(updated_at);

-- Validates an assignment for any writer (security definer: sees every profile and team).
create function private.check_ticket_assignment(p_organization_id uuid, p_agent_id uuid, p_team_id uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_team_id is not null and not exists (
    select 1 from public.teams t
     where t.id = p_team_id and t.organization_id is not distinct from p_organization_id
  ) then
    raise exception 'team % does not belong to the ticket''s organization', p_team_id
      using errcode = '23514';
  end if;
  if p_agent_id is not null and not exists (
    select 1 from public.profiles p
     where p.id = p_agent_id and p.role in ('agent', 'admin')
       and p.organization_id is not distinct from p_organization_id
  ) then
    raise exception 'assignee % is not an agent or admin of the ticket''s organization', p_agent_id
      using errcode = '23514';
  end if;
  if p_agent_id is not null and p_team_id is not null and not exists (
    select 1 from public.team_members tm where tm.team_id = p_team_id and tm.user_id = p_agent_id
  ) then
    raise exception 'agent % is not a member of team %', p_agent_id, p_team_id
      using errcode = '23514';
  end if;
end
$$;
revoke all on function private.check_ticket_assignment(uuid, uuid, uuid) from public;
grant execute on function private.check_ticket_assignment(uuid, uuid, uuid) to authenticated, service_role;

-- security invoker on purpose: current_user is the writer, so callers that bypass RLS (superuser,
-- service_role, the table owner, hence security definer functions such as public.assign_ticket)
-- skip the per-role rules; the status timestamps and assignment integrity apply to everyone.
create function private.guard_ticket_write() returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_privileged boolean;
  v_role public.user_role;
begin
  -- Privileged = bypasses RLS here: superuser, BYPASSRLS (service_role) or the table's owner
  -- (security definer functions owned by the migration role).
  select r.rolsuper or r.rolbypassrls
         or pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER')
    into v_privileged
    from pg_catalog.pg_roles r, pg_catalog.pg_class c
   where r.rolname = current_user and c.oid = tg_relid;
  v_privileged := coalesce(v_privileged, false);

  if tg_op = 'INSERT' then
    -- The organization follows the customer (API users cannot pick another one).
    if new.customer_id is not null and (new.organization_id is null or not v_privileged) then
      select p.organization_id into new.organization_id
        from public.profiles p where p.id = new.customer_id;
    end if;
  elsif not v_privileged then
    if new.customer_id is distinct from old.customer_id
       or new.organization_id is distinct from old.organization_id then
      raise exception 'the customer and organization of a ticket cannot be changed'
        using errcode = '42501';
    end if;
    if (new.assigned_agent_id is distinct from old.assigned_agent_id
        or new.assigned_team_id is distinct from old.assigned_team_id)
       and not (select private.is_admin()) then
      raise exception 'only admins reassign tickets directly; agents hand off with public.assign_ticket() and cannot assign a ticket to themselves'
        using errcode = '42501';
    end if;
    v_role := (select private.current_user_role());
    if v_role is null or v_role = 'customer' then
      if new.priority is distinct from old.priority then
        raise exception 'customers cannot change the priority of a ticket' using errcode = '42501';
      end if;
      if new.status is distinct from old.status
         and not (new.status = 'closed'
                  or (new.status = 'open' and old.status in ('resolved', 'closed'))) then
        raise exception 'customers can only close a ticket or reopen a resolved or closed one'
          using errcode = '42501';
      end if;
    end if;
  end if;

  -- Status timestamps: API users cannot set or backdate them; privileged writers (imports) may.
  if new.status in ('new', 'open', 'pending') then
    new.resolved_at := null;
    new.closed_at := null;
  else
    if not v_privileged then
      if tg_op = 'INSERT' then
        new.resolved_at := null;
        new.closed_at := null;
      else
        new.resolved_at := case when old.status in ('resolved', 'closed') then old.resolved_at end;
        new.closed_at := case when old.status = 'closed' then old.closed_at end;
      end if;
    end if;
    new.resolved_at := coalesce(new.resolved_at, now());
    if new.status = 'closed' then
      new.closed_at := coalesce(new.closed_at, now());
    else
      new.closed_at := null;
    end if;
  end if;

  if (new.assigned_agent_id is not null or new.assigned_team_id is not null)
     and (tg_op = 'INSERT'
          or new.assigned_agent_id is distinct from old.assigned_agent_id
          or new.assigned_team_id is distinct from old.assigned_team_id
          or new.organization_id is distinct from old.organization_id) then
    perform private.check_ticket_assignment(new.organization_id, new.assigned_agent_id, new.assigned_team_id);
  end if;
  return new;
end
$$;
revoke all on function private.guard_ticket_write() from public;

create trigger guard_ticket_write before insert or update on public.tickets
  for each row execute function private.guard_ticket_write();

revoke all on table public.tickets from anon;
grant select, insert, update, delete on table public.tickets to authenticated, service_role;

alter table public.tickets enable row level security;

-- select
create policy "Customers can view own tickets"
  on public.tickets for select to authenticated
  using (customer_id = (select auth.uid()));

create policy "Agents can view assigned tickets"
  on public.tickets for select to authenticated
  using (
    (select private.is_staff())
    and (assigned_agent_id = (select auth.uid())
         or assigned_team_id in (select private.current_user_team_ids()))
  );

create policy "Admins can view organization tickets"
  on public.tickets for select to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- insert
create policy "Customers can open own tickets"
  on public.tickets for insert to authenticated
  with check (
    customer_id = (select auth.uid())
    and organization_id = (select private.current_org_id())
    and status = 'new'
    and assigned_agent_id is null
    and assigned_team_id is null
  );

-- Staff open tickets on behalf of customers of their organization; agents may route them to one
-- of their own teams but not to a person (themselves included).
create policy "Staff can open organization tickets"
  on public.tickets for insert to authenticated
  with check (
    (select private.is_staff())
    and organization_id = (select private.current_org_id())
    and ((select private.is_admin())
         or (assigned_agent_id is null
             and (assigned_team_id is null
                  or assigned_team_id in (select private.current_user_team_ids()))))
  );

-- update (column rules in guard_ticket_write)
create policy "Customers can update own tickets"
  on public.tickets for update to authenticated
  using (customer_id = (select auth.uid()))
  with check (customer_id = (select auth.uid()));

create policy "Agents can update assigned tickets"
  on public.tickets for update to authenticated
  using (
    (select private.is_staff())
    and (assigned_agent_id = (select auth.uid())
         or assigned_team_id in (select private.current_user_team_ids()))
  )
  with check (
    (select private.is_staff())
    and (assigned_agent_id = (select auth.uid())
         or assigned_team_id in (select private.current_user_team_ids()))
  );

create policy "Admins can update organization tickets"
  on public.tickets for update to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()))
  with check ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- delete: tickets are closed, not deleted; only admins remove them (spam, GDPR requests).
create policy "Admins can delete organization tickets"
  on public.tickets for delete to authenticated
  using ((select private.is_admin()) and organization_id = (select private.current_org_id()));

-- migrate:down

drop table public.tickets;
drop function private.guard_ticket_write();
drop function private.check_ticket_assignment(uuid, uuid, uuid);
drop type public.ticket_priority;
drop type public.ticket_status;
