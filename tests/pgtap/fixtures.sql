-- Shared fixture of the pgTAP behaviour tests. tests/pgtap/run loads this file once, after pgTAP
-- and before pg_prove; a test file calls `select tap.autocrm_fixture();` right after its plan(),
-- inside its own transaction, so the rows (and the grant) are rolled back with the file.
--
-- Fixture (as the superuser running the tests):
--   org A 0a..0a (Acme): customer A 1111, customer B 2222, agent X 3333 (team X e1),
--                        agent Y 4444 (team Y e2, not in X), admin A 5555
--   org B 0b..0b (Globex): admin B 6666, customer C 7777 (team Z e3)
--   tickets: T1 c..01 (customer A, team X), T2 c..02 (customer B, team Y),
--            T3 c..03 (customer A, assigned to agent X, no team), T4 c..04 (customer C, team Z)
--   messages: M1 d..01 on T1 by A, M2 d..02 on T2 by B, M3 d..03 on T3 by agent X, M4 d..04 on T4 by C
create function tap.autocrm_fixture() returns void
language plpgsql as $fixture$
begin
  -- The API roles need the tap schema to report results while acting as them.
  grant usage on schema tap to anon, authenticated, service_role;

  insert into public.organizations (id, name, domain) values
    ('0a000000-0000-4000-8000-00000000000a', 'Acme', 'acme.test'),
    ('0b000000-0000-4000-8000-00000000000b', 'Globex', 'globex.test');

  insert into auth.users (id, email) values
    ('11111111-1111-4111-8111-111111111111', 'customer.a@acme.test'),
    ('22222222-2222-4222-8222-222222222222', 'customer.b@acme.test'),
    ('33333333-3333-4333-8333-333333333333', 'agent.x@acme.test'),
    ('44444444-4444-4444-8444-444444444444', 'agent.y@acme.test'),
    ('55555555-5555-4555-8555-555555555555', 'admin.a@acme.test'),
    ('66666666-6666-4666-8666-666666666666', 'admin.b@globex.test'),
    ('77777777-7777-4777-8777-777777777777', 'customer.c@globex.test');

  insert into public.profiles (id, role, full_name, organization_id) values
    ('11111111-1111-4111-8111-111111111111', 'customer', 'Customer A', '0a000000-0000-4000-8000-00000000000a'),
    ('22222222-2222-4222-8222-222222222222', 'customer', 'Customer B', '0a000000-0000-4000-8000-00000000000a'),
    ('33333333-3333-4333-8333-333333333333', 'agent', 'Agent X', '0a000000-0000-4000-8000-00000000000a'),
    ('44444444-4444-4444-8444-444444444444', 'agent', 'Agent Y', '0a000000-0000-4000-8000-00000000000a'),
    ('55555555-5555-4555-8555-555555555555', 'admin', 'Admin A', '0a000000-0000-4000-8000-00000000000a'),
    ('66666666-6666-4666-8666-666666666666', 'admin', 'Admin B', '0b000000-0000-4000-8000-00000000000b'),
    ('77777777-7777-4777-8777-777777777777', 'customer', 'Customer C', '0b000000-0000-4000-8000-00000000000b');

  insert into public.teams (id, organization_id, name) values
    ('0e000000-0000-4000-8000-0000000000e1', '0a000000-0000-4000-8000-00000000000a', 'Team X'),
    ('0e000000-0000-4000-8000-0000000000e2', '0a000000-0000-4000-8000-00000000000a', 'Team Y'),
    ('0e000000-0000-4000-8000-0000000000e3', '0b000000-0000-4000-8000-00000000000b', 'Team Z');

  insert into public.team_members (team_id, user_id) values
    ('0e000000-0000-4000-8000-0000000000e1', '33333333-3333-4333-8333-333333333333'),
    ('0e000000-0000-4000-8000-0000000000e2', '44444444-4444-4444-8444-444444444444'),
    ('0e000000-0000-4000-8000-0000000000e3', '66666666-6666-4666-8666-666666666666');

  insert into public.tickets (id, title, customer_id, assigned_team_id, assigned_agent_id) values
    ('c0000000-0000-4000-8000-000000000001', 'T1 printer on fire', '11111111-1111-4111-8111-111111111111', '0e000000-0000-4000-8000-0000000000e1', null),
    ('c0000000-0000-4000-8000-000000000002', 'T2 cannot log in', '22222222-2222-4222-8222-222222222222', '0e000000-0000-4000-8000-0000000000e2', null),
    ('c0000000-0000-4000-8000-000000000003', 'T3 invoice wrong', '11111111-1111-4111-8111-111111111111', null, '33333333-3333-4333-8333-333333333333'),
    ('c0000000-0000-4000-8000-000000000004', 'T4 globex outage', '77777777-7777-4777-8777-777777777777', '0e000000-0000-4000-8000-0000000000e3', null);

  insert into public.messages (id, ticket_id, sender_id, message_type, content) values
    ('d0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'customer', 'M1 it is still burning'),
    ('d0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'customer', 'M2 password reset fails'),
    ('d0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', 'agent', 'M3 we are looking into it'),
    ('d0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000004', '77777777-7777-4777-8777-777777777777', 'customer', 'M4 everything is down');
end
$fixture$;

-- Only the superuser running the tests sets up fixtures; the API roles never call this.
revoke execute on function tap.autocrm_fixture() from public;
