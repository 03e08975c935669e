-- migrate:up
-- AutoCRM schema, step 5 (plan section 4): messages on tickets.
--
-- defect 12: messages had only a select policy (customers could not reply); all four commands
--            have policies now.
-- defect 13: a message is visible exactly when its ticket is: the policies test the ticket through
--            the tickets table's own row level security, so the two can never disagree.
-- defect 16: (select auth.uid()) once per query.

create type public.message_type as enum ('customer', 'agent', 'system', 'ai');

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  sender_id uuid references public.profiles (id) on delete set null,
  message_type public.message_type not null,
  content text not null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.messages is 'Conversation on a ticket; system and ai messages are written by service_role or functions';

create trigger handle_updated_at before update on public.messages
  for each row execute procedure extensions.moddatetime(updated_at);

revoke all on table public.messages from anon;
grant select, insert, update, delete on table public.messages to authenticated, service_role;

alter table public.messages enable row level security;

-- The subquery on tickets is filtered by the tickets policies of the same user (no recursion:
-- those policies never read messages).
create policy "Users can view messages of accessible tickets"
  on public.messages for select to authenticated
  using (exists (select 1 from public.tickets t where t.id = messages.ticket_id));

-- Users post as themselves on tickets they can see; customers post 'customer' messages, agents
-- and admins 'agent' ones. 'system' and 'ai' messages come from service_role only.
create policy "Users can post messages on accessible tickets"
  on public.messages for insert to authenticated
  with check (
    sender_id = (select auth.uid())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
    and message_type = case when (select private.is_staff()) then 'agent'::public.message_type
                            else 'customer'::public.message_type end
  );

-- Authors may correct their own messages (the audit log keeps every version).
create policy "Authors can edit own messages"
  on public.messages for update to authenticated
  using (
    sender_id = (select auth.uid())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
  )
  with check (
    sender_id = (select auth.uid())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
    and message_type = case when (select private.is_staff()) then 'agent'::public.message_type
                            else 'customer'::public.message_type end
  );

-- Moderation: admins edit and delete messages on their organization's tickets.
create policy "Admins can edit organization messages"
  on public.messages for update to authenticated
  using (
    (select private.is_admin())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
  )
  with check (
    (select private.is_admin())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
  );

create policy "Admins can delete organization messages"
  on public.messages for delete to authenticated
  using (
    (select private.is_admin())
    and exists (select 1 from public.tickets t where t.id = messages.ticket_id)
  );

-- migrate:down

drop table public.messages;
drop type public.message_type;
