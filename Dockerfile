# One image for web, worker and beat (cookiecutter-django style).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=coop_platform.settings.production

WORKDIR /app
RUN useradd --create-home --uid 10001 coop
COPY requirements-bootstrap.txt requirements.txt ./
# pip, setuptools and wheel pinned first: the base image's own are older, with known advisories.
RUN pip install -r requirements-bootstrap.txt && pip install -r requirements.txt
COPY . .
# Compile translations and collect static files at build time; a throwaway key and a placeholder
# IBAN are enough here (the running containers take the real ones from .env).
RUN for dir in locale/*/; do \
      [ -f "$dir/nl/LC_MESSAGES/django.po" ] && pybabel compile -d "$dir" -D django -l nl; \
    done; \
    SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    COOP_IBAN=NL20INGB0001234567 \
    python manage.py collectstatic --noinput
USER coop
EXPOSE 8000
# Bind, workers (WEB_CONCURRENCY) and the access log are in the config, which also drops the
# `Server: gunicorn` banner (coop_platform/gunicorn_conf.py).
CMD ["gunicorn", "--config", "python:coop_platform.gunicorn_conf", "coop_platform.wsgi:application"]
