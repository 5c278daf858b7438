"""Database objects that keep ``catalogue_product.search_vector`` current.

The same design as the directory's (tenant_apps.directory.search.sql): triggers, so
that services, the admin, the demo seeding and raw SQL all keep the vector current.
The vector holds every language's title and description, so a buyer finds a product
whatever language they type in; folding and weighting reuse the directory's functions.
"""

from tenant_apps.directory.search.sql import has_extension

# Functions live in ``public``, shared by every programme's schema, while each schema
# migrates on its own: a function body must therefore never change once released. A new
# body gets a new name (``…_v2``), and each schema's migration points its own trigger at
# it, so a schema not yet migrated keeps the body that matches its columns.

# As created by migration 0002 (and used by schemas before 0004).
PRODUCT_TRIGGER_FUNCTION_0002 = """
CREATE OR REPLACE FUNCTION public.comptoir_product_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := public.comptoir_weighted_vector(
    public.comptoir_fold(concat_ws(' ', NEW.title,
      (SELECT string_agg(t.title, ' ') FROM catalogue_producttranslation t WHERE t.product_id = NEW.id))),
    public.comptoir_fold(concat_ws(' ',
      (SELECT c.name FROM directory_company c WHERE c.id = NEW.company_id),
      (SELECT string_agg(concat_ws(' ', v.name, v.name_en), ' ') FROM catalogue_product_verticals pv
         JOIN catalogue_vertical v ON v.id = pv.vertical_id WHERE pv.product_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', c.name, c.name_en), ' ') FROM catalogue_product_certifications pc
         JOIN catalogue_certification c ON c.id = pc.certification_id WHERE pc.product_id = NEW.id),
      NEW.hs_code)),
    public.comptoir_fold(concat_ws(' ', NEW.description,
      (SELECT string_agg(t.description, ' ') FROM catalogue_producttranslation t WHERE t.product_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', s ->> 'name', s ->> 'value'), ' ')
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.specifications) = 'array'
                                        THEN NEW.specifications ELSE '[]'::jsonb END) s))));
  RETURN NEW;
END $$
"""

# One lexeme per filter value ('k:service', 'v:12', 'c:3', 'n:de'), added to both vectors: a
# search with words and filters then asks the text index for rows matching both, instead of
# reading every row with the words to test the filters. Typed words are reduced to
# [a-z0-9-] (directory/search/selectors.py), so they never produce these.
FILTER_LEXEMES_FUNCTION = """
CREATE OR REPLACE FUNCTION public.comptoir_filter_lexemes(kind text, vertical_ids bigint[], certification_ids bigint[],
                                                          countries text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY['k:' || kind]
    || ARRAY(SELECT 'v:' || x FROM unnest(vertical_ids) x)
    || ARRAY(SELECT 'c:' || x FROM unnest(certification_ids) x)
    || ARRAY(SELECT 'n:' || lower(x) FROM unnest(countries) x))
$$
"""

# Migration 0004's trigger function. The titles alone (weight A) as a second, small vector: a search matching more products than
# are listed ranks those whose title matches first, without reading every match. The links'
# ids are copied on the row, so filters and facet counts read one table.
PRODUCT_TRIGGER_FUNCTION_V2 = """
CREATE OR REPLACE FUNCTION public.comptoir_product_search_vector_v2() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE titles text := public.comptoir_fold(concat_ws(' ', NEW.title,
  (SELECT string_agg(t.title, ' ') FROM catalogue_producttranslation t WHERE t.product_id = NEW.id)));
  filters tsvector;
BEGIN
  NEW.vertical_ids := ARRAY(SELECT pv.vertical_id FROM catalogue_product_verticals pv
                            WHERE pv.product_id = NEW.id ORDER BY pv.vertical_id);
  NEW.certification_ids := ARRAY(SELECT pc.certification_id FROM catalogue_product_certifications pc
                                 WHERE pc.product_id = NEW.id ORDER BY pc.certification_id);
  filters := public.comptoir_filter_lexemes(NEW.kind, NEW.vertical_ids, NEW.certification_ids, NEW.countries_served);
  NEW.search_title := public.comptoir_weighted_vector(titles, NULL, NULL) || filters;
  NEW.search_vector := filters || public.comptoir_weighted_vector(
    titles,
    public.comptoir_fold(concat_ws(' ',
      (SELECT c.name FROM directory_company c WHERE c.id = NEW.company_id),
      (SELECT string_agg(concat_ws(' ', v.name, v.name_en), ' ') FROM catalogue_product_verticals pv
         JOIN catalogue_vertical v ON v.id = pv.vertical_id WHERE pv.product_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', c.name, c.name_en), ' ') FROM catalogue_product_certifications pc
         JOIN catalogue_certification c ON c.id = pc.certification_id WHERE pc.product_id = NEW.id),
      NEW.hs_code)),
    public.comptoir_fold(concat_ws(' ', NEW.description,
      (SELECT string_agg(t.description, ' ') FROM catalogue_producttranslation t WHERE t.product_id = NEW.id),
      (SELECT string_agg(concat_ws(' ', s ->> 'name', s ->> 'value'), ' ')
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.specifications) = 'array'
                                        THEN NEW.specifications ELSE '[]'::jsonb END) s))));
  RETURN NEW;
END $$
"""

# Translations, links and renames touch the product row, whose BEFORE UPDATE trigger recomputes.
TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION public.comptoir_touch_product_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE row_data record;
BEGIN
  IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
  IF TG_TABLE_NAME IN ('catalogue_producttranslation', 'catalogue_product_verticals', 'catalogue_product_certifications') THEN
    UPDATE catalogue_product SET search_vector = NULL WHERE id = row_data.product_id;
  ELSIF TG_TABLE_NAME = 'catalogue_vertical' THEN
    UPDATE catalogue_product SET search_vector = NULL
      WHERE id IN (SELECT product_id FROM catalogue_product_verticals WHERE vertical_id = row_data.id);
  ELSIF TG_TABLE_NAME = 'catalogue_certification' THEN
    UPDATE catalogue_product SET search_vector = NULL
      WHERE id IN (SELECT product_id FROM catalogue_product_certifications WHERE certification_id = row_data.id);
  ELSIF TG_TABLE_NAME = 'directory_company' THEN
    UPDATE catalogue_product SET search_vector = NULL WHERE company_id = row_data.id;
  END IF;
  RETURN NULL;
END $$
"""

TRIGGERS = """
CREATE TRIGGER product_search_vector BEFORE INSERT OR UPDATE ON catalogue_product
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_product_search_vector();
CREATE TRIGGER product_translation_search_vector AFTER INSERT OR UPDATE OR DELETE ON catalogue_producttranslation
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE TRIGGER product_verticals_search_vector AFTER INSERT OR DELETE ON catalogue_product_verticals
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE TRIGGER product_certifications_search_vector AFTER INSERT OR DELETE ON catalogue_product_certifications
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE TRIGGER vertical_product_search_vector AFTER UPDATE OF name, name_en ON catalogue_vertical
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE TRIGGER certification_product_search_vector AFTER UPDATE OF name, name_en ON catalogue_certification
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE TRIGGER company_product_search_vector AFTER UPDATE OF name ON directory_company
  FOR EACH ROW EXECUTE FUNCTION public.comptoir_touch_product_search_vectors();
CREATE INDEX product_title_sort ON catalogue_product (title, id);
ALTER TABLE catalogue_product ADD COLUMN IF NOT EXISTS search_name text
  GENERATED ALWAYS AS (public.comptoir_fold(title)) STORED;
"""

TRIGRAM_INDEX = """
CREATE INDEX IF NOT EXISTS product_title_trigram ON catalogue_product USING gin (search_name public.gin_trgm_ops);
"""

DROP = """
DROP TRIGGER IF EXISTS product_search_vector ON catalogue_product;
DROP TRIGGER IF EXISTS product_translation_search_vector ON catalogue_producttranslation;
DROP TRIGGER IF EXISTS product_verticals_search_vector ON catalogue_product_verticals;
DROP TRIGGER IF EXISTS product_certifications_search_vector ON catalogue_product_certifications;
DROP TRIGGER IF EXISTS vertical_product_search_vector ON catalogue_vertical;
DROP TRIGGER IF EXISTS certification_product_search_vector ON catalogue_certification;
DROP TRIGGER IF EXISTS company_product_search_vector ON directory_company;
DROP INDEX IF EXISTS product_title_sort;
DROP INDEX IF EXISTS product_title_trigram;
ALTER TABLE catalogue_product DROP COLUMN IF EXISTS search_name;
"""


def install(cursor) -> None:
    """Create the catalogue's search objects in the current schema (migration 0002)."""
    for statement in (PRODUCT_TRIGGER_FUNCTION_0002, TOUCH_FUNCTION, TRIGGERS):
        cursor.execute(statement)
    if has_extension(cursor, "pg_trgm"):
        cursor.execute(TRIGRAM_INDEX)


def _point_trigger_at(cursor, function: str) -> None:
    cursor.execute("DROP TRIGGER IF EXISTS product_search_vector ON catalogue_product")
    cursor.execute("CREATE TRIGGER product_search_vector BEFORE INSERT OR UPDATE ON catalogue_product"
                   f" FOR EACH ROW EXECUTE FUNCTION public.{function}()")


def install_title_vectors(cursor) -> None:
    """Fill ``search_title``, the link copies and the filter lexemes from now on and for every
    product of this schema (migration 0004)."""
    cursor.execute(FILTER_LEXEMES_FUNCTION)
    cursor.execute(PRODUCT_TRIGGER_FUNCTION_V2)
    _point_trigger_at(cursor, "comptoir_product_search_vector_v2")
    cursor.execute("UPDATE catalogue_product SET search_vector = NULL")


def remove_title_vectors(cursor) -> None:
    # 0002's function is still there (other schemas may use it): point back at it.
    cursor.execute(PRODUCT_TRIGGER_FUNCTION_0002)
    _point_trigger_at(cursor, "comptoir_product_search_vector")
