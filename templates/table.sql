-- migrate:up
-- {{name}} ({{version}}): a table exposed through the Supabase API, with row level security,
-- one policy per command, updated_at and audit triggers. Adjust the columns and the policies.
create table public.{{table}} (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.profiles (id) on delete cascade,
  name text not null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every policy filters on owner_id: index it (and every foreign key).
create index idx_{{table}}_owner_id on public.{{table}} (owner_id);

alter table public.{{table}} enable row level security;

-- auth.uid() is wrapped in a select so it runs once per query, not once per row.
create policy "{{table}}: owners read their rows" on public.{{table}}
  for select to authenticated using (owner_id = (select auth.uid()));
create policy "{{table}}: owners add their rows" on public.{{table}}
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "{{table}}: owners change their rows" on public.{{table}}
  for update to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "{{table}}: owners delete their rows" on public.{{table}}
  for delete to authenticated using (owner_id = (select auth.uid()));

grant select, insert, update, delete on public.{{table}} to authenticated;

create trigger handle_updated_at before update on public.{{table}}
  for each row execute function extensions.moddatetime(updated_at);

create trigger audit_{{table}}_changes after insert or update or delete on public.{{table}}
  for each row execute function public.audit_trigger_func();

-- migrate:down
drop table public.{{table}};
