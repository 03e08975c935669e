-- handle_updated_at (moddatetime) on every table with updated_at. now() is fixed inside a
-- transaction, so each row is first given an old updated_at, then updated.
begin;
set search_path = public, tap, extensions;
select plan(9);
select tap.autocrm_fixture(); -- fixtures.sql: organizations A and B, their users and teams, T1-T4, M1-M4

insert into public.kb_categories (id, name, organization_id) values ('f0000000-0000-4000-8000-000000000001', 'Accounts', '0a000000-0000-4000-8000-00000000000a');
insert into public.kb_articles (id, title, content, organization_id) values ('a0000000-0000-4000-8000-000000000001', 'A', 'B', '0a000000-0000-4000-8000-00000000000a');
insert into public.response_templates (id, title, content, team_id) values ('b0000000-0000-4000-8000-000000000001', 'T', 'C', '0e000000-0000-4000-8000-0000000000e1');

-- moddatetime overwrites any value given in an update, so triggers are off while the old date is set.
set local session_replication_role = replica;
update public.organizations set updated_at = '2000-01-01' where id = '0a000000-0000-4000-8000-00000000000a';
update public.profiles set updated_at = '2000-01-01' where id = '11111111-1111-4111-8111-111111111111';
update public.teams set updated_at = '2000-01-01' where id = '0e000000-0000-4000-8000-0000000000e1';
update public.tickets set updated_at = '2000-01-01' where id = 'c0000000-0000-4000-8000-000000000001';
update public.messages set updated_at = '2000-01-01' where id = 'd0000000-0000-4000-8000-000000000001';
update public.kb_categories set updated_at = '2000-01-01' where id = 'f0000000-0000-4000-8000-000000000001';
update public.kb_articles set updated_at = '2000-01-01' where id = 'a0000000-0000-4000-8000-000000000001';
update public.response_templates set updated_at = '2000-01-01' where id = 'b0000000-0000-4000-8000-000000000001';
set local session_replication_role = origin;

select is((select updated_at from public.tickets where id = 'c0000000-0000-4000-8000-000000000001'), '2000-01-01'::timestamptz,
  'the old updated_at was set');
-- as admin a
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}';
update public.organizations set name = 'Acme Inc' where id = '0a000000-0000-4000-8000-00000000000a';
update public.profiles set full_name = 'A.' where id = '11111111-1111-4111-8111-111111111111';
update public.teams set description = 'fire brigade' where id = '0e000000-0000-4000-8000-0000000000e1';
update public.tickets set priority = 'high' where id = 'c0000000-0000-4000-8000-000000000001';
update public.messages set content = 'edited' where id = 'd0000000-0000-4000-8000-000000000001';
update public.kb_categories set description = 'accounts' where id = 'f0000000-0000-4000-8000-000000000001';
update public.kb_articles set content = 'C' where id = 'a0000000-0000-4000-8000-000000000001';
update public.response_templates set content = 'D' where id = 'b0000000-0000-4000-8000-000000000001';
-- as superuser
reset role;
set local request.jwt.claims = '';
select ok((select updated_at > '2000-01-02' from public.organizations where id = '0a000000-0000-4000-8000-00000000000a'), 'organizations.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.profiles where id = '11111111-1111-4111-8111-111111111111'), 'profiles.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.teams where id = '0e000000-0000-4000-8000-0000000000e1'), 'teams.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.tickets where id = 'c0000000-0000-4000-8000-000000000001'), 'tickets.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.messages where id = 'd0000000-0000-4000-8000-000000000001'), 'messages.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.kb_categories where id = 'f0000000-0000-4000-8000-000000000001'), 'kb_categories.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.kb_articles where id = 'a0000000-0000-4000-8000-000000000001'), 'kb_articles.updated_at moves on update');
select ok((select updated_at > '2000-01-02' from public.response_templates where id = 'b0000000-0000-4000-8000-000000000001'), 'response_templates.updated_at moves on update');

reset role;
select * from finish();
rollback;
