-- migrate:up
-- AutoCRM schema, step 7 (plan section 5, AI search): kb_articles.embedding, its ivfflat index and
-- the similarity search function.
--
-- defect 5: vector is created in schema extensions, never public (an existing installation is
--           used where it is, e.g. on Supabase).
-- defect 19: pgvector is not packaged for Debian 12's PostgreSQL 15. Everything here is created
--           only where the extension is installed or available; otherwise the migration still
--           succeeds, raises a WARNING naming each skipped object and records them in
--           private.skipped_features, so status/check tooling can show them later.
-- The plan's "GiST index for vector similarity" is an ivfflat index with vector_cosine_ops, which
-- is what pgvector provides for cosine distance (<=>).

do $$
declare
  v_schema text;
  v_reason text;
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'vector') then
    if exists (select 1 from pg_catalog.pg_available_extensions where name = 'vector') then
      create extension vector schema extensions;
      insert into private.installed_objects (object_type, object_name) values ('extension', 'vector');
    else
      v_reason := 'extension "vector" (pgvector) is not available on this server';
      insert into private.skipped_features (feature, reason) values
        ('extension vector', v_reason),
        ('column public.kb_articles.embedding', v_reason),
        ('index public.idx_kb_articles_embedding', v_reason),
        ('function public.match_kb_articles', v_reason);
      raise warning 'pgvector is not available: skipped extension vector, column public.kb_articles.embedding, index public.idx_kb_articles_embedding and function public.match_kb_articles (recorded in private.skipped_features)';
      return;
    end if;
  end if;

  -- Wherever the extension lives (extensions here; public on some older Supabase projects).
  select n.nspname into v_schema
    from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
   where e.extname = 'vector';

  -- OpenAI embedding size, as in the plan.
  execute format('alter table public.kb_articles add column embedding %I.vector(1536)', v_schema);
  comment on column public.kb_articles.embedding is 'Embedding (1536 dimensions) for similarity search; indexed by idx_kb_articles_embedding';

  execute format(
    'create index idx_kb_articles_embedding on public.kb_articles using ivfflat (embedding %I.vector_cosine_ops) with (lists = 100)',
    v_schema);

  -- Similarity search over the articles the caller may read (security invoker: RLS applies).
  -- similarity = 1 - cosine distance; the ORDER BY on the distance lets ivfflat serve it.
  execute format($fn$
    create function public.match_kb_articles(
      p_query_embedding %1$I.vector(1536),
      p_match_count integer default 5,
      p_min_similarity double precision default null
    )
    returns table (id uuid, title text, category_id uuid, similarity double precision)
    language sql stable set search_path = ''
    as $body$
      select m.id, m.title, m.category_id, m.similarity
        from (
          select a.id, a.title, a.category_id,
                 1 - (a.embedding operator(%1$I.<=>) p_query_embedding) as similarity,
                 a.embedding operator(%1$I.<=>) p_query_embedding as distance
            from public.kb_articles a
           where a.embedding is not null
           order by a.embedding operator(%1$I.<=>) p_query_embedding
           limit greatest(1, least(coalesce(p_match_count, 5), 100))
        ) m
       where p_min_similarity is null or m.similarity >= p_min_similarity
       order by m.distance, m.id
    $body$
  $fn$, v_schema);
  comment on function public.match_kb_articles is 'Knowledge base articles nearest to an embedding (cosine), most similar first';
  revoke all on function public.match_kb_articles from public, anon;
  grant execute on function public.match_kb_articles to authenticated, service_role;
end
$$;

-- migrate:down

-- Copes with both outcomes of the up section: drops what exists, forgets what was skipped.
do $$
begin
  drop function if exists public.match_kb_articles;
  drop index if exists public.idx_kb_articles_embedding;
  alter table public.kb_articles drop column if exists embedding;
  if exists (select 1 from private.installed_objects where object_type = 'extension' and object_name = 'vector') then
    drop extension vector;
    delete from private.installed_objects where object_type = 'extension' and object_name = 'vector';
  end if;
  delete from private.skipped_features
   where feature in ('extension vector', 'column public.kb_articles.embedding',
                     'index public.idx_kb_articles_embedding', 'function public.match_kb_articles');
end
$$;
