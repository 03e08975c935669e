-- migrate:up
-- AutoCRM schema, step 11: the plan's index file, plus the indexes it missed.
--
-- defect 6: the index file's bare "commit;" is gone (a migration section is one transaction run
--           by the tool).
-- defect 17: every foreign key and every column a policy filters on has an index.
-- Plain "create index" (no "if not exists"): an existing index of the same name is an error
-- here, never silently accepted with a different definition. The embedding index
-- (idx_kb_articles_embedding) is created with the vector column in the kb_vector_search
-- migration, and the analytics views' unique indexes in the analytics migration.

-- profiles: role for back-office filters; organization_id for every org-scoped policy (FK).
create index idx_profiles_role on public.profiles (role);
create index idx_profiles_organization_id on public.profiles (organization_id);

-- organizations: lookup by email domain.
create index idx_organizations_domain on public.organizations (domain);

-- teams and team_members (team_members.team_id is the leading primary key column).
create index idx_teams_organization_id on public.teams (organization_id);
create index idx_team_members_user_id on public.team_members (user_id);

-- tickets: customer, agent, team, organization, status, priority; tags with GIN.
create index idx_tickets_customer_id on public.tickets (customer_id);
create index idx_tickets_assigned_agent_id on public.tickets (assigned_agent_id);
create index idx_tickets_assigned_team_id on public.tickets (assigned_team_id);
create index idx_tickets_organization_id on public.tickets (organization_id);
create index idx_tickets_status on public.tickets (status);
create index idx_tickets_priority on public.tickets (priority);
create index idx_tickets_tags_gin on public.tickets using gin (tags);

-- messages: by ticket, by time, by sender (defect 17).
create index idx_messages_ticket_id on public.messages (ticket_id);
create index idx_messages_created_at on public.messages (created_at);
create index idx_messages_sender_id on public.messages (sender_id);

-- knowledge base (defect 17), the published filter of the customer policy, full-text search.
create index idx_kb_categories_parent_id on public.kb_categories (parent_id);
create index idx_kb_articles_category_id on public.kb_articles (category_id);
create index idx_kb_articles_author_id on public.kb_articles (author_id);
create index idx_kb_articles_published_at on public.kb_articles (published_at);
create index idx_kb_articles_search_vector on public.kb_articles using gin (search_vector);

-- response templates (defect 17).
create index idx_response_templates_team_id on public.response_templates (team_id);
create index idx_response_templates_author_id on public.response_templates (author_id);

-- audit_logs (defect 17): partitioned indexes, inherited by every partition.
create index idx_audit_logs_actor_id on public.audit_logs (actor_id);
create index idx_audit_logs_table_record on public.audit_logs (table_name, record_id);
create index idx_audit_logs_organization_created on public.audit_logs (organization_id, created_at);

-- migrate:down

drop index public.idx_audit_logs_organization_created;
drop index public.idx_audit_logs_table_record;
drop index public.idx_audit_logs_actor_id;
drop index public.idx_response_templates_author_id;
drop index public.idx_response_templates_team_id;
drop index public.idx_kb_articles_search_vector;
drop index public.idx_kb_articles_published_at;
drop index public.idx_kb_articles_author_id;
drop index public.idx_kb_articles_category_id;
drop index public.idx_kb_categories_parent_id;
drop index public.idx_messages_sender_id;
drop index public.idx_messages_created_at;
drop index public.idx_messages_ticket_id;
drop index public.idx_tickets_tags_gin;
drop index public.idx_tickets_priority;
drop index public.idx_tickets_status;
drop index public.idx_tickets_organization_id;
drop index public.idx_tickets_assigned_team_id;
drop index public.idx_tickets_assigned_agent_id;
drop index public.idx_tickets_customer_id;
drop index public.idx_team_members_user_id;
drop index public.idx_teams_organization_id;
drop index public.idx_organizations_domain;
drop index public.idx_profiles_organization_id;
drop index public.idx_profiles_role;
