"""Index job text in English and in Dutch, so that a search in either language finds stemmed words.

Each job's vector holds the words of its title, skills and description as both configurations stem
them; a search matches either language's reading of the query (marketplace.selectors.search). The
trigger is replaced and every vector rebuilt; going back restores the English-only vectors.
"""

from django.db import migrations


def _function(configs: tuple[str, ...]) -> str:
    parts = " ||\n    ".join(
        f"setweight(to_tsvector('{config}', coalesce(NEW.title, '')), 'A') ||\n"
        f"    setweight(to_tsvector('{config}', coalesce(NEW.skill_text, '')), 'A') ||\n"
        f"    setweight(to_tsvector('{config}', coalesce(NEW.description, '')), 'B')"
        for config in configs
    )
    return f"""
CREATE OR REPLACE FUNCTION marketplace_job_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    {parts};
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE marketplace_job SET title = title;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_function(("english", "dutch")))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_function(("english",)))


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0008_mediator")]

    operations = [migrations.RunPython(forwards, backwards)]
