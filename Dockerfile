# One image for web, worker and beat (cookiecutter-django style).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=coop_platform.settings.production

WORKDIR /app
RUN useradd --create-home --uid 10001 coop
COPY requirements.txt .
RUN pip install -r requirements.txt
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
CMD ["gunicorn", "coop_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
