-- migrate:up
-- AutoCRM schema, step 12: functions for common ticket operations (defect 18: the plan asked for
-- "functions for common operations" and named none).
--
-- public.assign_ticket(ticket, agent, team): dispatch. Admins assign any ticket of their
--   organization; agents hand off a ticket they work (assigned to them or to one of their teams)
--   to a teammate or another team, but never to themselves. The agent must belong to the team when
--   both are given (private.check_ticket_assignment, also enforced by the tickets trigger).
-- public.change_ticket_status(ticket, status): security invoker, so the tickets policies and the
--   guard trigger decide who may do what (customers close/reopen, staff anything on tickets they
--   work); resolved_at/closed_at follow the status (trigger guard_ticket_write).

create function public.assign_ticket(p_ticket_id uuid, p_agent_id uuid default null, p_team_id uuid default null)
returns public.tickets
language plpgsql security definer set search_path = ''
as $$
declare
  v_ticket public.tickets;
  v_uid uuid := (select auth.uid());
  v_org_admin boolean;
  v_works_it boolean;
begin
  select * into v_ticket from public.tickets t where t.id = p_ticket_id for update;
  if not found then
    raise exception 'ticket % not found or not yours to assign', p_ticket_id using errcode = '42501';
  end if;

  if not (select private.is_service_caller()) then
    -- coalesce: an unassigned ticket must not turn these checks into null (= not refused).
    v_org_admin := coalesce((select private.is_admin())
                            and v_ticket.organization_id = (select private.current_org_id()), false);
    v_works_it := coalesce((select private.is_staff())
                           and (v_ticket.assigned_agent_id = v_uid
                                or private.is_team_member(v_ticket.assigned_team_id)), false);
    if not (v_org_admin or v_works_it) then
      -- Same answer for "does not exist" and "not yours": no probing of other tickets.
      raise exception 'ticket % not found or not yours to assign', p_ticket_id using errcode = '42501';
    end if;
    if not v_org_admin then
      if p_agent_id = v_uid then
        raise exception 'agents cannot assign a ticket to themselves; ask an admin or hand it to a teammate'
          using errcode = '42501';
      end if;
      if p_agent_id is null and p_team_id is null then
        raise exception 'agents hand a ticket off to a team or an agent; only admins unassign tickets'
          using errcode = '42501';
      end if;
    end if;
  end if;

  perform private.check_ticket_assignment(v_ticket.organization_id, p_agent_id, p_team_id);

  -- A new ticket that gets an agent is being worked on.
  update public.tickets t
     set assigned_agent_id = p_agent_id,
         assigned_team_id = p_team_id,
         status = case when t.status = 'new' and p_agent_id is not null then 'open'::public.ticket_status
                       else t.status end
   where t.id = p_ticket_id
  returning * into v_ticket;
  return v_ticket;
end
$$;
comment on function public.assign_ticket(uuid, uuid, uuid) is 'Assigns a ticket to an agent and/or team (null = unassigned); admins anything in their organization, agents hand off their tickets but never to themselves';

create function public.change_ticket_status(p_ticket_id uuid, p_status public.ticket_status)
returns public.tickets
language plpgsql set search_path = ''
as $$
declare
  v_ticket public.tickets;
begin
  update public.tickets t set status = p_status where t.id = p_ticket_id
  returning * into v_ticket;
  if not found then
    raise exception 'ticket % not found or not yours to update', p_ticket_id using errcode = '42501';
  end if;
  return v_ticket;
end
$$;
comment on function public.change_ticket_status(uuid, public.ticket_status) is 'Sets the status of a ticket the caller may update; resolved_at/closed_at follow';

revoke all on function public.assign_ticket(uuid, uuid, uuid) from public, anon;
revoke all on function public.change_ticket_status(uuid, public.ticket_status) from public, anon;
grant execute on function public.assign_ticket(uuid, uuid, uuid) to authenticated, service_role;
grant execute on function public.change_ticket_status(uuid, public.ticket_status) to authenticated, service_role;

-- migrate:down

drop function public.change_ticket_status(uuid, public.ticket_status);
drop function public.assign_ticket(uuid, uuid, uuid);
