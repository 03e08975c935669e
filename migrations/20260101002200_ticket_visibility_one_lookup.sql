-- migrate:up
-- AutoCRM schema, step 22: staff see tickets through one look-up per statement instead of three
-- (issue 14, requirement 7).
--
-- Measured on the scale-1.0 data set (bench/load, docs/benchmarks-load.md): the customer's
-- transaction cost 0.37-0.44 ms with RLS against 0.23-0.30 ms for the owner. With the staff arms'
-- three helpers replaced by constants (same plan) it cost 0.32-0.35 ms: the policies themselves are
-- cheap, the helper calls are not. Every statement on tickets ran private.current_staff_id(),
-- private.current_staff_team_ids() and private.current_admin_org_id() (three security definer
-- plpgsql calls, each a GUC save/restore and a query; about 14 µs each here) even for a customer,
-- whose own arm decides: PostgreSQL plans one InitPlan per sub-select a policy names, and a bitmap
-- scan of the OR'ed arms needs each one's value.
--
-- Now one helper returns every key that makes a ticket visible to the caller as staff: the caller's
-- id (assigned agent), the caller's teams, and for an admin the organization; empty for customers
-- and anybody else. One policy compares the three columns with it through step 21's GIN index.
-- Same rows as before for every role:
-- * "Agents can view assigned tickets": assigned_agent_id = caller (agent or admin), or
--   assigned_team_id in the caller's teams (agent or admin);
-- * "Admins can view organization tickets": organization_id = the admin's organization;
-- together: array[assigned_agent_id, assigned_team_id, organization_id] && keys. An overlap across
-- columns (a ticket's team id equal to the caller's profile id, say) cannot happen: profile, team and
-- organization ids are random uuids the server sets (API roles cannot write id columns, step 18),
-- and only the service role, which bypasses RLS anyway, could choose them.
-- The customers' policy ("Customers can view own tickets") does not change, and stays the first arm
-- of the OR: PostgreSQL joins permissive policies in the reverse order of their names, so the new
-- policy's name sorts before it. A ticket read by id (or through a message) is then decided by the
-- customer's own arm for customers, without calling the helper at all (measured: named "Staff
-- ...", it came first and cost every customer statement the call).

create function private.current_ticket_keys() returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_role public.user_role;
  v_org uuid;
begin
  select p.id, p.role, p.organization_id into v_id, v_role, v_org
    from public.profiles p where p.id = (select auth.uid());
  if v_role is null or v_role not in ('agent', 'admin') then
    return '{}'::uuid[];
  end if;
  return array[v_id]
      || coalesce((select array_agg(tm.team_id) from public.team_members tm where tm.user_id = v_id), '{}'::uuid[])
      || case when v_role = 'admin' and v_org is not null then array[v_org] else '{}'::uuid[] end;
end
$$;

comment on function private.current_ticket_keys() is 'Ids that make a ticket visible to the signed-in agent or admin: own id, own teams, and for an admin the organization (empty for everybody else); use as array[assigned_agent_id, assigned_team_id, organization_id] && (select private.current_ticket_keys())';

revoke all on function private.current_ticket_keys() from public, anon;
grant execute on function private.current_ticket_keys() to authenticated, service_role;

drop policy "Agents can view assigned tickets" on public.tickets;
drop policy "Admins can view organization tickets" on public.tickets;
create policy "Agents and admins can view worked and organization tickets"
  on public.tickets for select to authenticated
  using (array[assigned_agent_id, assigned_team_id, organization_id] && (select private.current_ticket_keys()));

-- migrate:down

drop policy "Agents and admins can view worked and organization tickets" on public.tickets;
create policy "Agents can view assigned tickets"
  on public.tickets for select to authenticated
  using (
    assigned_agent_id = (select private.current_staff_id())
    or assigned_team_id = any ((select private.current_staff_team_ids())::uuid[])
  );
create policy "Admins can view organization tickets"
  on public.tickets for select to authenticated
  using (organization_id = (select private.current_admin_org_id()));
drop function private.current_ticket_keys();
