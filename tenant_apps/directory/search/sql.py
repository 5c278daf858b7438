"""Database objects that keep ``search_vector`` current: functions, triggers, indexes.

Triggers rather than a service called on every write: bulk imports, the benchmark's
COPY, the admin and raw SQL all keep the vector current, and no caller can forget.
Functions live in ``public`` (created idempotently by every tenant schema's migration)
and name tables without a schema, so they act on the schema in the search path.
"""

from tenant_apps.directory.search.folding import fold_function_sql

WEIGHTED_VECTOR = """
CREATE OR REPLACE FUNCTION public.comptoir_weighted_vector(a text, b text, c text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT
    setweight(to_tsvector('simple', coalesce(a, '') || ' ' || replace(coalesce(a, ''), '-', ''))
              || to_tsvector('french', coalesce(a, '')) || to_tsvector('english', coalesce(a, '')), 'A')
 || setweight(to_tsvector('simple', coalesce(b, '') || ' ' || replace(coalesce(b, ''), '-', ''))
              || to_tsvector('french', coalesce(b, '')) || to_tsvector('english', coalesce(b, '')), 'B')
 || setweight(to_tsvector('simple', coalesce(c, ''))
              || to_tsvector('french', coalesce(c, '')) || to_tsvector('english', coalesce(c, '')), 'C')
$$
"""

# As created by migration 0002; 0005 replaces both trigger functions to fill ``search_title``.
COMPANY_TRIGGER_FUNCTION_0002 = """
CREATE OR REPLACE FUNCTION public.comptoir_company_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := public.comptoir_weighted_vector(
    public.comptoir_fold(concat_ws(' ', NEW.name, NEW.legal_name)),
    public.comptoir_fold(concat_ws(' ',
      (SELECT concat_ws(' ', s.name, s.name_en) FROM directory_sector s WHERE s.id = NEW.sector_id),
      (SELECT string_agg(t.name, ' ') FROM directory_company_tags ct
         JOIN directory_tag t ON t.id = ct.tag_id WHERE ct.company_id = NEW.id),
      NEW.products_services, NEW.city)),
    public.comptoir_fold(concat_ws(' ', NEW.description, NEW.goals)));
  RETURN NEW;
END $$
"""

EXPERT_TRIGGER_FUNCTION_0002 = """
CREATE OR REPLACE FUNCTION public.comptoir_expert_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := public.comptoir_weighted_vector(
    public.comptoir_fold(concat_ws(' ', (SELECT u.full_name FROM accounts_user u WHERE u.id = NEW.user_id), NEW.headline)),
    public.comptoir_fold(concat_ws(' ',
      (SELECT string_agg(t.name, ' ') FROM directory_expertprofile_expertise e
         JOIN directory_tag t ON t.id = e.tag_id WHERE e.expertprofile_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', s.name, s.name_en), ' ') FROM directory_expertprofile_sectors es
         JOIN directory_sector s ON s.id = es.sector_id WHERE es.expertprofile_id = NEW.id))),
    public.comptoir_fold(NEW.bio));
  RETURN NEW;
END $$
"""

# Links and taxonomy renames touch the profile row, whose BEFORE UPDATE trigger recomputes.
TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION public.comptoir_touch_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE row_data record;
BEGIN
  IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
  IF TG_TABLE_NAME = 'directory_company_tags' THEN
    UPDATE directory_company SET search_vector = NULL WHERE id = row_data.company_id;
  ELSIF TG_TABLE_NAME IN ('directory_expertprofile_expertise', 'directory_expertprofile_sectors') THEN
    UPDATE directory_expertprofile SET search_vector = NULL WHERE id = row_data.expertprofile_id;
  ELSIF TG_TABLE_NAME = 'directory_tag' THEN
    UPDATE directory_company SET search_vector = NULL
      WHERE id IN (SELECT company_id FROM directory_company_tags WHERE tag_id = row_data.id);
    UPDATE directory_expertprofile SET search_vector = NULL
      WHERE id IN (SELECT expertprofile_id FROM directory_expertprofile_expertise WHERE tag_id = row_data.id);
  ELSIF TG_TABLE_NAME = 'directory_sector' THEN
    UPDATE directory_company SET search_vector = NULL WHERE sector_id = row_data.id;
    UPDATE directory_expertprofile SET search_vector = NULL
      WHERE id IN (SELECT expertprofile_id FROM directory_expertprofile_sectors WHERE sector_id = row_data.id);
  END IF;
  RETURN NULL;
END $$
"""

TRIGGERS = """
CREATE TRIGGER company_search_vector BEFORE INSERT OR UPDATE ON directory_company
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_company_search_vector();
CREATE TRIGGER expert_search_vector BEFORE INSERT OR UPDATE ON directory_expertprofile
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_expert_search_vector();
CREATE TRIGGER company_tags_search_vector AFTER INSERT OR DELETE ON directory_company_tags
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_search_vectors();
CREATE TRIGGER expert_expertise_search_vector AFTER INSERT OR DELETE ON directory_expertprofile_expertise
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_search_vectors();
CREATE TRIGGER expert_sectors_search_vector AFTER INSERT OR DELETE ON directory_expertprofile_sectors
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_search_vectors();
CREATE TRIGGER tag_search_vector AFTER UPDATE OF name ON directory_tag
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_search_vectors();
CREATE TRIGGER sector_search_vector AFTER UPDATE OF name, name_en ON directory_sector
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_search_vectors();
CREATE INDEX company_name_sort ON directory_company (name, id);
CREATE INDEX company_newest ON directory_company (created_at DESC, id DESC);
UPDATE directory_company SET search_vector = NULL;
UPDATE directory_expertprofile SET search_vector = NULL;
"""

DROP = """
DROP TRIGGER IF EXISTS company_search_vector ON directory_company;
DROP TRIGGER IF EXISTS expert_search_vector ON directory_expertprofile;
DROP TRIGGER IF EXISTS company_tags_search_vector ON directory_company_tags;
DROP TRIGGER IF EXISTS expert_expertise_search_vector ON directory_expertprofile_expertise;
DROP TRIGGER IF EXISTS expert_sectors_search_vector ON directory_expertprofile_sectors;
DROP TRIGGER IF EXISTS tag_search_vector ON directory_tag;
DROP TRIGGER IF EXISTS sector_search_vector ON directory_sector;
DROP INDEX IF EXISTS company_name_sort;
DROP INDEX IF EXISTS company_newest;
DROP INDEX IF EXISTS company_name_trigram;
DROP INDEX IF EXISTS expert_headline_trigram;
ALTER TABLE directory_company DROP COLUMN IF EXISTS search_name;
ALTER TABLE directory_expertprofile DROP COLUMN IF EXISTS search_name;
"""

# The folded name is stored: folding on the fly costs more than the trigram match itself.
FOLDED_NAMES = """
ALTER TABLE directory_company ADD COLUMN IF NOT EXISTS search_name text
  GENERATED ALWAYS AS (public.comptoir_fold(name)) STORED;
ALTER TABLE directory_expertprofile ADD COLUMN IF NOT EXISTS search_name text
  GENERATED ALWAYS AS (public.comptoir_fold(headline)) STORED;
"""

TRIGRAM_INDEXES = """
CREATE INDEX IF NOT EXISTS company_name_trigram ON directory_company USING gin (search_name public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS expert_headline_trigram ON directory_expertprofile USING gin (search_name public.gin_trgm_ops);
"""

# The names alone (weight A), as a second small vector: for searches matching more profiles
# than are listed, profiles matching by name are ranked first without reading every match.
COMPANY_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION public.comptoir_company_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE title text := public.comptoir_fold(concat_ws(' ', NEW.name, NEW.legal_name));
BEGIN
  NEW.search_title := public.comptoir_weighted_vector(title, NULL, NULL);
  NEW.search_vector := public.comptoir_weighted_vector(
    title,
    public.comptoir_fold(concat_ws(' ',
      (SELECT concat_ws(' ', s.name, s.name_en) FROM directory_sector s WHERE s.id = NEW.sector_id),
      (SELECT string_agg(t.name, ' ') FROM directory_company_tags ct
         JOIN directory_tag t ON t.id = ct.tag_id WHERE ct.company_id = NEW.id),
      NEW.products_services, NEW.city)),
    public.comptoir_fold(concat_ws(' ', NEW.description, NEW.goals)));
  RETURN NEW;
END $$
"""

EXPERT_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION public.comptoir_expert_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE title text := public.comptoir_fold(concat_ws(' ',
  (SELECT u.full_name FROM accounts_user u WHERE u.id = NEW.user_id), NEW.headline));
BEGIN
  NEW.search_title := public.comptoir_weighted_vector(title, NULL, NULL);
  NEW.search_vector := public.comptoir_weighted_vector(
    title,
    public.comptoir_fold(concat_ws(' ',
      (SELECT string_agg(t.name, ' ') FROM directory_expertprofile_expertise e
         JOIN directory_tag t ON t.id = e.tag_id WHERE e.expertprofile_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', s.name, s.name_en), ' ') FROM directory_expertprofile_sectors es
         JOIN directory_sector s ON s.id = es.sector_id WHERE es.expertprofile_id = NEW.id))),
    public.comptoir_fold(NEW.bio));
  RETURN NEW;
END $$
"""

# The functions live in ``public``, shared by every programme's schema, while each schema
# migrates on its own: migration 0002 run for a new schema would put its body back for all.
# So 0005's bodies get names of their own (migration 0006), which each schema's triggers
# point at; a released body never changes again (a new one takes a new name).
COMPANY_TRIGGER_FUNCTION_V2 = COMPANY_TRIGGER_FUNCTION.replace(
    "public.comptoir_company_search_vector()", "public.comptoir_company_search_vector_v2()")
EXPERT_TRIGGER_FUNCTION_V2 = EXPERT_TRIGGER_FUNCTION.replace(
    "public.comptoir_expert_search_vector()", "public.comptoir_expert_search_vector_v2()")
_TRIGGERS = (("company_search_vector", "directory_company", "comptoir_company_search_vector"),
             ("expert_search_vector", "directory_expertprofile", "comptoir_expert_search_vector"))

EXTENSIONS = ("unaccent", "pg_trgm")


def install(cursor) -> None:
    """Create what the search needs in the current schema (extensions only when available)."""
    for extension in EXTENSIONS:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [extension])
        if cursor.fetchone():
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [extension])
            if not cursor.fetchone():
                cursor.execute(f'CREATE EXTENSION IF NOT EXISTS "{extension}" SCHEMA public')
    cursor.execute(fold_function_sql())
    for statement in (WEIGHTED_VECTOR, COMPANY_TRIGGER_FUNCTION_0002, EXPERT_TRIGGER_FUNCTION_0002, TOUCH_FUNCTION, TRIGGERS, FOLDED_NAMES):
        cursor.execute(statement)
    if has_extension(cursor, "pg_trgm"):
        cursor.execute(TRIGRAM_INDEXES)


def install_title_vectors(cursor) -> None:
    """Fill ``search_title`` from now on and for every existing profile (migration 0005)."""
    cursor.execute(COMPANY_TRIGGER_FUNCTION)
    cursor.execute(EXPERT_TRIGGER_FUNCTION)
    cursor.execute("UPDATE directory_company SET search_vector = NULL")
    cursor.execute("UPDATE directory_expertprofile SET search_vector = NULL")


def remove_title_vectors(cursor) -> None:
    cursor.execute(COMPANY_TRIGGER_FUNCTION_0002)
    cursor.execute(EXPERT_TRIGGER_FUNCTION_0002)


def has_extension(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [name])
    return cursor.fetchone() is not None


def _point_triggers(cursor, suffix: str) -> None:
    for trigger, table, function in _TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        cursor.execute(f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table}"
                       f" FOR EACH ROW EXECUTE FUNCTION public.{function}{suffix}()")


def install_versioned_triggers(cursor) -> None:
    """Point this schema's profile triggers at functions of their own (migration 0006)."""
    cursor.execute(COMPANY_TRIGGER_FUNCTION_V2)
    cursor.execute(EXPERT_TRIGGER_FUNCTION_V2)
    _point_triggers(cursor, "_v2")


def remove_versioned_triggers(cursor) -> None:
    cursor.execute(COMPANY_TRIGGER_FUNCTION)
    cursor.execute(EXPERT_TRIGGER_FUNCTION)
    _point_triggers(cursor, "")
