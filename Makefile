# The two commands for a new machine: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck fmt migrate worker beat messages i18n-missing seed check-deploy bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements-bootstrap.txt requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-bootstrap.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Compile the committed .po files with Babel, so no system gettext is needed.
messages: $(STAMP)
	@for dir in locale/*/; do \
	  if [ -f "$$dir/nl/LC_MESSAGES/django.po" ]; then $(BIN)/pybabel compile -d "$$dir" -D django -l nl || exit 1; fi; \
	done

migrate: messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py devserver 127.0.0.1:8000

test: messages
	$(BIN)/pytest $(PYTEST_ARGS)

# mypy runs strict (pyproject.toml) on the kernel, the money and counting code and every write:
# core, the ledger, allocation, counting and every services package. The rest of the project is
# checked against a lenient baseline by `make typecheck`, which is not yet clean.
MYPY_STRICT := core coop_platform payouts/ledger payouts/allocation governance/counting payouts/payments \
	payouts/services.py payouts/cycles/services payouts/stripe_gateway/services membership/services \
	governance/services marketplace/services

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --follow-imports=silent --no-warn-unused-configs $(MYPY_STRICT)

# The whole project against the lenient mypy baseline (views, forms, tests): not yet clean.
typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# List user-facing strings with no Dutch translation (pure Python, no GNU gettext needed).
i18n-missing: $(STAMP)
	$(PY) manage.py i18n_missing

worker: $(STAMP)
	$(BIN)/celery -A coop_platform worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A coop_platform beat --loglevel=info

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=coop_platform.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	COOP_IBAN=$${COOP_IBAN:-NL20INGB0001234567} \
	ALLOWED_HOSTS=coop.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) staticfiles .test-media
