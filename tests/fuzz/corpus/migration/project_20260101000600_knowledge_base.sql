-- migrate:up
-- AutoCRM schema, step 6 (plan section 5): knowledge base categories and articles, full-text
-- search.
--
-- defect 5: the plan created extension vector in public; the vector column, its index and the
--           similarity search are in the next migration, with vector in schema extensions and
--           created only where pgvector exists (defect 19).
-- defect 12: RLS was enabled with no policy (the knowledge base was unreadable); published
--            articles are now readable by every signed-in user, and staff write.

create table public.kb_categories (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  parent_id uuid references public.kb_categories (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.kb_categories is 'Knowledge base category tree (shared by the deployment, as in the plan)';

create trigger handle_updated_at before update on public.kb_categories
  for each row execute procedure extensions.moddatetime(updated_at);

create table public.kb_articles (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  content text not null,
  category_id uuid references public.kb_categories (id) on delete set null,
  author_id uuid references public.profiles (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  tags text[] not null default array[]::text[],
  -- Full-text search document: title weighs more than content.
  search_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz
);
comment on table public.kb_articles is 'Knowledge base articles; published when published_at is set and not in the future';
comment on column public.kb_articles.search_vector is 'Generated full-text document (english), indexed by idx_kb_articles_search_vector';

create trigger handle_updated_at before update on public.kb_articles
  for each row execute procedure extensions.moddatetime(updated_at);

revoke all on table public.kb_categories from anon;
revoke all on table public.kb_articles from anon;
grant select, insert, update, delete on table public.kb_categories to authenticated, service_role;
grant select, insert, update, delete on table public.kb_articles to authenticated, service_role;

alter table public.kb_categories enable row level security;
alter table public.kb_articles enable row level security;

-- kb_categories: the tree is navigation, readable by every signed-in user.
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

-- kb_articles: customers read published articles; staff read drafts too and write.
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

-- Full-text search over the articles the caller may read (security invoker: RLS applies, so
-- customers only ever find published articles).
create function public.search_kb_articles(p_query text, p_limit integer default 10)
returns table (id uuid, title text, category_id uuid, published_at timestamptz, rank real, snippet text)
language sql stable set search_path = ''
as $$
  select a.id, a.title, a.category_id, a.published_at,
         ts_rank(a.search_vector, q.query) as rank,
         ts_headline('english'::regconfig, a.content, q.query, 'MaxFragments=1, MaxWords=30, MinWords=10') as snippet
    from public.kb_articles a,
         websearch_to_tsquery('english'::regconfig, p_query) as q(query)
   where a.search_vector @@ q.query
   order by rank desc, a.published_at desc nulls last, a.id
   limit greatest(1, least(coalesce(p_limit, 10), 100))
$$;
comment on function public.search_kb_articles(text, integer) is 'Full-text knowledge base search (websearch syntax), best match first, at most 100 rows';
revoke all on function public.search_kb_articles(text, integer) from public, anon;
grant execute on function public.search_kb_articles(text, integer) to authenticated, service_role;

-- migrate:down

drop function public.search_kb_articles(text, integer);
drop table public.kb_articles;
drop table public.kb_categories;
