-- bench/load/generate.sql: fills a database that has the AutoCRM migrations applied with a
-- realistic help-desk data set, and the lookup tables (schema bench) the pgbench scripts draw
-- their random users and tickets from.
--
--   psql -X -v ON_ERROR_STOP=1 -v scale=1.0 -f bench/load/generate.sql DBNAME
--
-- scale 1.0: 10 organizations, 100 teams, 1,000 agents (+ 3 admins per organization), 100,000
-- customers, 1,000,000 tickets, ~3,000,000 messages, 10,000 knowledge-base articles (+ 50
-- categories, 20 response templates per team). Other scales multiply every count (small scales
-- keep at least 2 organizations, 2 teams per organization and 5 agents per team), e.g. 0.01 for a
-- quick run (10,000 tickets).
--
-- Distributions:
--   customers   skewed over organizations (org k gets about k^-0.6 of the share: a few big tenants);
--   agents      evenly over organizations, each in 1-3 teams of their organization;
--   tickets     customers skewed (a few customers open hundreds, most a handful), created_at over
--               the last 730 days with growth (about twice as many per day now as a year ago),
--               status by age (recent ones new/open/pending, old ones resolved/closed),
--               priority low 30% / medium 45% / high 20% / urgent 5%; 'new' tickets half routed to
--               a team, never to an agent; the others 95% to a team of the customer's
--               organization and 90% of those to a member of that team;
--   messages    0-10 per ticket, binomial(10, 0.3), mean 3 ('new' tickets at most 1), customer and
--               agent turns alternating, 3% system messages, spread between the ticket's creation
--               and its resolution (or now);
--   kb          90% published, spread over 50 categories, written by agents.
--
-- Bulk load: session_replication_role = replica, so NO trigger fires while loading: no audit rows
-- for the history (audit_logs starts empty; the audit cost is measured separately by bench/load/run),
-- no guard_ticket_write (this file computes organization_id, resolved_at and closed_at itself,
-- and the check constraints still hold them to the status), no updated_at trigger, and no foreign
-- key triggers (the generator only ever references rows it created). Afterwards: vacuum analyze
-- and a refresh of the analytics materialized views.
\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 1.0
\endif
\timing off
select set_config('bench.scale', :'scale', false);

set session_replication_role = replica;
set maintenance_work_mem = '1GB';
set work_mem = '256MB';
set synchronous_commit = off;

drop schema if exists bench cascade;
create schema bench;
comment on schema bench is 'bench/load: lookup tables of the load benchmark (random users and tickets numbered 1..N)';

-- Sizes at this scale.
create table bench.counts (name text primary key, n bigint not null);
insert into bench.counts
select name, n from (
  select s,
         greatest(2, round(10 * s))::bigint as orgs
    from (select current_setting('bench.scale')::numeric as s) x
) c,
lateral (values
  ('orgs', c.orgs),
  ('teams', greatest(2 * c.orgs, round(100 * c.s))::bigint),
  ('agents', greatest(10 * c.orgs, round(1000 * c.s))::bigint),
  ('admins', 3 * c.orgs),
  ('customers', greatest(20, round(100000 * c.s))::bigint),
  ('tickets_target', greatest(100, round(1000000 * c.s))::bigint),
  ('articles', greatest(20, round(10000 * c.s))::bigint),
  ('categories', 50)
) v(name, n);
create function bench.n(p_name text) returns bigint language sql stable
as $$ select n from bench.counts where name = p_name $$;

\echo generate: words and text pools
create table bench.words (n int primary key, w text not null);
insert into bench.words
select row_number() over (), w from unnest(string_to_array(
  'account billing invoice payment refund order shipping delivery package tracking password login '
  'error crash screen dashboard report export import settings profile email notification mobile app '
  'browser update version install upgrade license subscription plan trial renewal cancel charge card '
  'bank transfer address customer support team agent ticket issue problem question request feature '
  'integration api webhook token timeout slow fast sync calendar contact phone number data backup '
  'restore delete archive folder file upload download attachment image pdf spreadsheet printer '
  'network wifi connection server database permission role access admin user group workspace project '
  'task deadline priority urgent broken missing wrong duplicate charged twice yesterday today week '
  'month please help thanks again still cannot since after before when why how what where every '
  'sometimes always never quickly later soon the a my our your their it this that with from into '
  'on in at for to of and or but not is was are were has have had will would could should can',
  ' ')) w;

create table bench.paragraphs (n int primary key, txt text not null);
insert into bench.paragraphs
select p, (select string_agg(w.w, ' ')
             from generate_series(1, 12 + (p * 7919) % 60) k
             join bench.words w on w.n = 1 + (abs(hashint4(p * 1000 + k)) % (select count(*) from bench.words))) || '.'
  from generate_series(1, 2000) p;

create table bench.titles (n int primary key, txt text not null);
insert into bench.titles
select row_number() over (), v || ' ' || o
  from unnest(array['Cannot log in to', 'Error when opening', 'Invoice missing for', 'Question about',
                    'Refund request for', 'Slow loading of', 'Cannot export', 'Wrong total on',
                    'How do I change', 'Duplicate charge on', 'Crash in', 'Feature request:',
                    'Cannot upload to', 'Password reset for', 'Sync fails for', 'Access denied to']) v,
       unnest(array['my account', 'the dashboard', 'the mobile app', 'order 1182', 'the API',
                    'the billing page', 'monthly report', 'the shared workspace', 'my subscription',
                    'team calendar', 'the webhook settings', 'the CSV import', 'user permissions',
                    'the invoice PDF', 'email notifications', 'the printer integration']) o;

\echo generate: organizations, users, teams
create table bench.orgs (n int primary key, id uuid not null);
insert into bench.orgs select g, gen_random_uuid() from generate_series(1, bench.n('orgs')) g;
insert into public.organizations (id, name, domain, created_at, updated_at)
select o.id, 'Organization ' || o.n, 'org' || o.n || '.example', now() - interval '800 days', now() - interval '800 days'
  from bench.orgs o;

-- Teams: team n belongs to org ((n-1) % orgs) + 1 and is number k_in_org there.
create table bench.teams (n int primary key, id uuid not null, org_n int not null, k_in_org int not null);
insert into bench.teams
select g, gen_random_uuid(), ((g - 1) % bench.n('orgs'))::int + 1, ((g - 1) / bench.n('orgs'))::int + 1
  from generate_series(1, bench.n('teams')) g;
create unique index on bench.teams (org_n, k_in_org);
create table bench.org_team_counts as select org_n, count(*)::int as cnt from bench.teams group by org_n;
alter table bench.org_team_counts add primary key (org_n);
insert into public.teams (id, organization_id, name, description, created_at, updated_at)
select t.id, o.id, (array['Billing', 'Technical', 'Onboarding', 'Enterprise', 'Mobile', 'API', 'Returns',
                          'Accounts', 'Integrations', 'Escalations'])[1 + (t.k_in_org - 1) % 10]
                   || case when t.k_in_org > 10 then ' ' || t.k_in_org else '' end,
       'Team ' || t.k_in_org || ' of organization ' || t.org_n,
       now() - interval '790 days', now() - interval '790 days'
  from bench.teams t join bench.orgs o on o.n = t.org_n;

-- Agents evenly over organizations; admins 3 per organization; customers skewed over organizations.
create table bench.agents (n int primary key, id uuid not null, org_n int not null, k_in_org int not null);
insert into bench.agents
select g, gen_random_uuid(), ((g - 1) % bench.n('orgs'))::int + 1, ((g - 1) / bench.n('orgs'))::int + 1
  from generate_series(1, bench.n('agents')) g;
create table bench.admins (n int primary key, id uuid not null, org_n int not null);
insert into bench.admins
select g, gen_random_uuid(), ((g - 1) % bench.n('orgs'))::int + 1 from generate_series(1, bench.n('admins')) g;
create table bench.customers (n int primary key, id uuid not null, org_n int not null);
insert into bench.customers
select g, gen_random_uuid(), 1 + least(bench.n('orgs') - 1, floor(bench.n('orgs') * power(random(), 1.6)))::int
  from generate_series(1, bench.n('customers')) g;

insert into auth.users (id, aud, role, email, created_at, updated_at)
select id, 'authenticated', 'authenticated', kind || n || '@org' || org_n || '.example', ts, ts
  from (select id, n, org_n, 'agent' as kind, now() - interval '780 days' as ts from bench.agents
        union all select id, n, org_n, 'admin', now() - interval '790 days' from bench.admins
        union all select id, n, org_n, 'customer', now() - interval '760 days' * random() from bench.customers) u;
insert into public.profiles (id, role, full_name, organization_id, created_at, updated_at)
select u.id, u.role::public.user_role, initcap(u.role) || ' ' || u.n, o.id, au.created_at, au.created_at
  from (select id, n, org_n, 'agent' as role from bench.agents
        union all select id, n, org_n, 'admin' from bench.admins
        union all select id, n, org_n, 'customer' from bench.customers) u
  join bench.orgs o on o.n = u.org_n
  join auth.users au on au.id = u.id;

-- Each agent is in 1-3 consecutive teams of their organization, starting at their own slot, so
-- that every team has members.
insert into public.team_members (team_id, user_id, role, joined_at)
select t.id, a.id, case when j = 0 and a.k_in_org <= c.cnt then 'lead' else 'member' end, now() - interval '700 days'
  from bench.agents a
  join bench.org_team_counts c on c.org_n = a.org_n
  cross join lateral generate_series(0, least(c.cnt, 1 + (abs(hashint4(a.n)) % 3)) - 1) j
  join bench.teams t on t.org_n = a.org_n and t.k_in_org = 1 + (a.k_in_org - 1 + j) % c.cnt;

-- Members of each team numbered 1..cnt (random member of a team = one index lookup).
create table bench.team_member_idx as
select tm.team_id, row_number() over (partition by tm.team_id order by tm.user_id)::int as k, tm.user_id
  from public.team_members tm;
alter table bench.team_member_idx add primary key (team_id, k);
create table bench.team_sizes as select team_id, count(*)::int as cnt from public.team_members group by team_id;
alter table bench.team_sizes add primary key (team_id);

\echo generate: tickets
-- One row per ticket with every random draw; tickets are inserted in creation order.
create unlogged table bench.ticket_gen as
with draws as (
  select g,
         1 + least(bench.n('customers') - 1, floor(bench.n('customers') * power(random(), 1.5)))::int as cust_n,
         -- age in days: half uniform, half linearly growing towards now
         case when random() < 0.5 then 730 * random() else 730 * (1 - sqrt(random())) end as age,
         random() as r_status, random() as r_prio, random() as r_team, random() as r_agent,
         random() as r_route, random() as r_res, random() as r_close,
         (select count(*) from generate_series(1, 10) k where random() < 0.3 + 0 * g)::int as nmsg,
         1 + (abs(hashint4(g)) % (select count(*) from bench.titles))::int as title_n,
         1 + (abs(hashint4(g + 7)) % 2000)::int as para_n
    from generate_series(1, bench.n('tickets_target')::int) g
), st as (
  select d.*,
         case
           when age < 2 then case when r_status < 0.40 then 'new' when r_status < 0.80 then 'open'
                                  when r_status < 0.95 then 'pending' else 'resolved' end
           when age < 14 then case when r_status < 0.05 then 'new' when r_status < 0.35 then 'open'
                                   when r_status < 0.55 then 'pending' when r_status < 0.85 then 'resolved' else 'closed' end
           when age < 60 then case when r_status < 0.05 then 'open' when r_status < 0.10 then 'pending'
                                   when r_status < 0.30 then 'resolved' else 'closed' end
           else case when r_status < 0.005 then 'open' when r_status < 0.01 then 'pending'
                     when r_status < 0.06 then 'resolved' else 'closed' end
         end::public.ticket_status as status
    from draws d
)
select s.g, gen_random_uuid() as id, s.status, s.nmsg, s.title_n, s.para_n,
       case when s.r_prio < 0.30 then 'low' when s.r_prio < 0.75 then 'medium'
            when s.r_prio < 0.95 then 'high' else 'urgent' end::public.ticket_priority as priority,
       c.id as customer_id, o.id as organization_id,
       now() - s.age * interval '1 day' as created_at,
       case when s.status = 'new' and s.r_route >= 0.5 then null
            when s.status <> 'new' and s.r_route >= 0.95 then null
            else t.id end as team_id,
       s.r_agent, s.r_res, s.r_close, s.age
  from st s
  join bench.customers c on c.n = s.cust_n
  join bench.orgs o on o.n = c.org_n
  join bench.org_team_counts otc on otc.org_n = c.org_n
  join bench.teams t on t.org_n = c.org_n and t.k_in_org = 1 + floor(s.r_team * otc.cnt)::int;

-- Agent: a member of the ticket's team (90% of routed, non-new tickets).
alter table bench.ticket_gen add column agent_id uuid, add column resolved_at timestamptz, add column closed_at timestamptz;
update bench.ticket_gen g
   set agent_id = case when g.status <> 'new' and g.team_id is not null and g.r_agent < 0.9 then
                    (select i.user_id from bench.team_member_idx i join bench.team_sizes z on z.team_id = i.team_id
                      where i.team_id = g.team_id and i.k = 1 + floor(g.r_agent / 0.9 * z.cnt)::int) end,
       -- resolution after ~exp(mean 2 days), never in the future; closed 0-7 days after that
       resolved_at = case when g.status in ('resolved', 'closed') then
                       least(now() - interval '1 minute',
                             g.created_at + interval '1 hour' + interval '2 days' * -ln(1 - g.r_res * 0.999)) end;
update bench.ticket_gen g
   set closed_at = case when g.status = 'closed' then
                     least(now(), g.resolved_at + interval '7 days' * g.r_close) end
 where g.status = 'closed';

insert into public.tickets (id, organization_id, title, description, status, priority, customer_id,
                            assigned_agent_id, assigned_team_id, tags, created_at, updated_at,
                            resolved_at, closed_at)
select g.id, g.organization_id, ti.txt, p.txt, g.status, g.priority, g.customer_id, g.agent_id, g.team_id,
       case when g.g % 7 = 0 then array['billing'] when g.g % 11 = 0 then array['bug', 'mobile'] else array[]::text[] end,
       g.created_at, coalesce(g.closed_at, g.resolved_at, g.created_at), g.resolved_at, g.closed_at
  from bench.ticket_gen g
  join bench.titles ti on ti.n = g.title_n
  join bench.paragraphs p on p.n = g.para_n
 order by g.created_at;

\echo generate: messages
-- k-th message of a ticket: odd turns the customer, even turns the assigned agent (a team member
-- when no agent is assigned yet); 3% system messages.
insert into public.messages (ticket_id, sender_id, message_type, content, created_at, updated_at)
select m.ticket_id,
       case when m.mtype = 'customer' then m.customer_id when m.mtype = 'agent' then m.agent end,
       m.mtype, p1.txt || ' ' || p2.txt, m.created_at, m.created_at
  from (
    select g.id as ticket_id, g.customer_id, k,
           coalesce(g.agent_id,
                    (select i.user_id from bench.team_member_idx i where i.team_id = g.team_id and i.k = 1)) as agent,
           case when random() < 0.03 then 'system'
                when k % 2 = 1 then 'customer'
                when g.agent_id is null and g.team_id is null then 'system'
                else 'agent' end::public.message_type as mtype,
           g.created_at + (coalesce(g.resolved_at, now()) - g.created_at) * ((k - 1 + random()) / greatest(g.nmsg, 1)) as created_at,
           1 + (abs(hashint4(g.g * 16 + k)) % 2000) as p1n,
           1 + (abs(hashint4(g.g * 16 + k + 99991)) % 2000) as p2n
      from bench.ticket_gen g
      cross join lateral generate_series(1, case when g.status = 'new' then least(g.nmsg, 1) else g.nmsg end) k
  ) m
  join bench.paragraphs p1 on p1.n = m.p1n
  join bench.paragraphs p2 on p2.n = m.p2n
 order by m.created_at;

\echo generate: knowledge base, response templates
-- Since migration 20260101001700 (tenancy) the knowledge base and templates belong to an
-- organization: each organization gets its own categories (the same count in all), an article
-- goes to its author's organization and a category of it, a template to its team's.
select exists (select 1 from pg_attribute where attrelid = 'public.kb_categories'::regclass
                 and attname = 'organization_id' and not attisdropped) as tenancy \gset
\if :tenancy
insert into public.kb_categories (id, name, description, parent_id, organization_id, created_at, updated_at)
select gen_random_uuid(), 'Category ' || g, 'Articles about topic ' || g, null, o.id, now() - interval '700 days', now() - interval '700 days'
  from bench.orgs o cross join generate_series(1, greatest(2, bench.n('categories') / bench.n('orgs'))) g;
insert into public.kb_articles (title, content, category_id, author_id, organization_id, tags, created_at, updated_at, published_at)
select 'How to: ' || ti.txt || ' (' || g || ')', p1.txt || E'\n\n' || p2.txt || E'\n\n' || p3.txt || E'\n\n' || p4.txt,
       c.id, a.id, o.id, array['howto'], ts, ts, case when g % 10 <> 0 then ts end
  from (select g, now() - interval '700 days' * random() as ts,
               1 + (abs(hashint4(g)) % (select count(*) from bench.titles))::int as tn,
               1 + (abs(hashint4(g + 1)) % 2000) as a1, 1 + (abs(hashint4(g + 2)) % 2000) as a2,
               1 + (abs(hashint4(g + 3)) % 2000) as a3, 1 + (abs(hashint4(g + 4)) % 2000) as a4,
               1 + (g % bench.n('agents'))::int as an
          from generate_series(1, bench.n('articles')::int) g) x
  join bench.titles ti on ti.n = x.tn
  join bench.paragraphs p1 on p1.n = x.a1 join bench.paragraphs p2 on p2.n = x.a2
  join bench.paragraphs p3 on p3.n = x.a3 join bench.paragraphs p4 on p4.n = x.a4
  join bench.agents a on a.n = x.an
  join bench.orgs o on o.n = a.org_n
  join (select id, organization_id, row_number() over (partition by organization_id order by id) - 1 as cn,
               count(*) over (partition by organization_id) as cnt
          from public.kb_categories) c on c.organization_id = o.id and c.cn = x.g % c.cnt;
insert into public.response_templates (title, content, team_id, author_id, organization_id, tags, created_at, updated_at)
select 'Template ' || j, p.txt, t.id, i.user_id, o.id, array['macro'], now() - interval '600 days', now() - interval '600 days'
  from bench.teams t
  join bench.orgs o on o.n = t.org_n
  cross join generate_series(1, 20) j
  join bench.team_member_idx i on i.team_id = t.id and i.k = 1
  join bench.paragraphs p on p.n = 1 + (abs(hashint4(t.n * 100 + j)) % 2000);
\else
insert into public.kb_categories (id, name, description, parent_id, created_at, updated_at)
select gen_random_uuid(), 'Category ' || g, 'Articles about topic ' || g, null, now() - interval '700 days', now() - interval '700 days'
  from generate_series(1, bench.n('categories')) g;
insert into public.kb_articles (title, content, category_id, author_id, tags, created_at, updated_at, published_at)
select 'How to: ' || ti.txt || ' (' || g || ')', p1.txt || E'\n\n' || p2.txt || E'\n\n' || p3.txt || E'\n\n' || p4.txt,
       c.id, a.id, array['howto'], ts, ts, case when g % 10 <> 0 then ts end
  from (select g, now() - interval '700 days' * random() as ts,
               1 + (abs(hashint4(g)) % (select count(*) from bench.titles))::int as tn,
               1 + (abs(hashint4(g + 1)) % 2000) as a1, 1 + (abs(hashint4(g + 2)) % 2000) as a2,
               1 + (abs(hashint4(g + 3)) % 2000) as a3, 1 + (abs(hashint4(g + 4)) % 2000) as a4,
               1 + (g % bench.n('agents'))::int as an,
               (g % bench.n('categories'))::int as cn
          from generate_series(1, bench.n('articles')::int) g) x
  join bench.titles ti on ti.n = x.tn
  join bench.paragraphs p1 on p1.n = x.a1 join bench.paragraphs p2 on p2.n = x.a2
  join bench.paragraphs p3 on p3.n = x.a3 join bench.paragraphs p4 on p4.n = x.a4
  join bench.agents a on a.n = x.an
  join (select id, row_number() over (order by id) - 1 as cn from public.kb_categories) c on c.cn = x.cn;
insert into public.response_templates (title, content, team_id, author_id, tags, created_at, updated_at)
select 'Template ' || j, p.txt, t.id, i.user_id, array['macro'], now() - interval '600 days', now() - interval '600 days'
  from bench.teams t
  cross join generate_series(1, 20) j
  join bench.team_member_idx i on i.team_id = t.id and i.k = 1
  join bench.paragraphs p on p.n = 1 + (abs(hashint4(t.n * 100 + j)) % 2000);

\endif

\echo generate: lookup tables for pgbench
-- A random ticket (with its customer): the customer path.
create table bench.tickets as
select row_number() over (order by g.g)::int as n, g.id as ticket_id, g.customer_id from bench.ticket_gen g;
alter table bench.tickets add primary key (n);
-- A random (agent, ticket) pair the agent works: open tickets of one of the agent's teams, with
-- their assigned agent, else the team's first member: the reply path.
create table bench.agent_tickets as
select row_number() over (order by g.g)::int as n, g.id as ticket_id,
       coalesce(g.agent_id, (select i.user_id from bench.team_member_idx i where i.team_id = g.team_id and i.k = 1)) as agent_id
  from bench.ticket_gen g
 where g.status in ('new', 'open', 'pending') and g.team_id is not null;
alter table bench.agent_tickets add primary key (n);
insert into bench.counts values
  ('tickets', (select count(*) from bench.tickets)),
  ('agent_tickets', (select count(*) from bench.agent_tickets)),
  ('messages', (select count(*) from public.messages));
drop table bench.ticket_gen;

reset session_replication_role;

\echo generate: vacuum analyze, refresh analytics
vacuum (analyze) public.organizations, public.profiles, public.teams, public.team_members, public.tickets,
  public.messages, public.kb_categories, public.kb_articles, public.response_templates, auth.users;
analyze bench.counts, bench.orgs, bench.teams, bench.agents, bench.admins, bench.customers, bench.tickets, bench.agent_tickets;
refresh materialized view analytics.ticket_metrics;
refresh materialized view analytics.agent_performance;
vacuum analyze analytics.ticket_metrics;
vacuum analyze analytics.agent_performance;

select name, n from bench.counts order by name;
