"""Keep Job.search_vector up to date with a trigger and index it with GIN (PostgreSQL only).

Title and skills weigh most (A), the description less (B). On SQLite the column stays empty and
search falls back to substring matching (marketplace.selectors.search).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION marketplace_job_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.skill_text, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS marketplace_job_search_vector_trigger ON marketplace_job;
CREATE TRIGGER marketplace_job_search_vector_trigger
  BEFORE INSERT OR UPDATE OF title, description, skill_text ON marketplace_job
  FOR EACH ROW EXECUTE FUNCTION marketplace_job_search_vector_update();

UPDATE marketplace_job SET title = title;
CREATE INDEX IF NOT EXISTS marketplace_job_search_vector_gin ON marketplace_job USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS marketplace_job_search_vector_gin;
DROP TRIGGER IF EXISTS marketplace_job_search_vector_trigger ON marketplace_job;
DROP FUNCTION IF EXISTS marketplace_job_search_vector_update();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    Job = apps.get_model("marketplace", "Job")
    for job in Job.objects.prefetch_related("skills"):
        text = " ".join(sorted(skill.name for skill in job.skills.all()))[:1000]
        if text != job.skill_text:
            Job.objects.filter(pk=job.pk).update(skill_text=text)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0003_marketplace_core")]

    operations = [migrations.RunPython(forwards, backwards)]
