# Luodi: `make run` serves the demo college, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export LUODI_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install system python messages static lint fmt migrate demo test-pg clean \
	audit-deps

install: system python messages static

system:
	@bash scripts/install-system.sh

python:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install -q uv
	@# Compiled once here: every test process and subprocess starts faster.
	@uv sync --frozen --quiet --compile-bytecode
	@test -x $(BIN)/python

messages:
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

static:
	@$(BIN)/python manage.py collectstatic --noinput -v 0

migrate:
	@$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	@$(BIN)/python manage.py seed_demo --if-empty

# gunicorn and, beside it, the worker that prepares documents in the background.
run: install demo
	@echo "Luodi is serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@BIN=$(BIN) PORT=$(PORT) bash scripts/run.sh

# Services (writes), selectors (reads) and lib are held to types.
TYPED := luodi/lib luodi/needs/services.py luodi/needs/analysis.py luodi/needs/plan.py luodi/training/services luodi/training/selectors.py luodi/training/previews.py \
	luodi/training/policies.py luodi/checkin/services.py luodi/checkin/leave.py \
	luodi/certificates/services.py luodi/certificates/policies.py luodi/certificates/jobs.py \
	luodi/jobs/services.py luodi/reports/stats.py luodi/reports/class_archive.py \
	luodi/reports/jobs.py luodi/reports/annual_report.py luodi/reports/stats_views.py luodi/college/backup.py luodi/accounts/lockout.py \
	luodi/accounts/second_factor.py luodi/accounts/sessions.py luodi/accounts/passwords.py \
	luodi/accounts/tokens.py luodi/reports/personal_data.py luodi/cadres/keys.py \
	luodi/audit/services.py luodi/audit/triggers.py luodi/audit/masking.py luodi/audit/export.py \
	luodi/audit/middleware.py luodi/audit/history.py luodi/accounts/role_changes.py \
	luodi/accounts/identifiers.py luodi/accounts/trainee_accounts.py luodi/checkin/first_login.py \
	luodi/checkin/trainee_sessions.py \
	luodi/notifications/services.py luodi/checkin/digest.py \
	luodi/reports/charts.py luodi/jobs/exports.py luodi/cadres/lists.py luodi/regions/lists.py \
	luodi/faculty/lists.py luodi/curriculum/lists.py luodi/training/lists.py luodi/checkin/lists.py \
	luodi/certificates/lists.py luodi/training/jobs.py luodi/training/documents/reflections_booklet.py \
	luodi/reports/work.py luodi/cadres/office_values.py \
	luodi/curriculum/services.py luodi/research/services.py luodi/research/selectors.py luodi/research/lists.py \
	luodi/surveys/results.py luodi/surveys/reviews.py luodi/surveys/results_export.py \
	luodi/imports/base.py luodi/imports/kinds.py luodi/imports/places.py luodi/imports/reading.py \
	luodi/imports/services.py luodi/imports/documents.py luodi/imports/cadres.py \
	luodi/imports/enrolments.py luodi/imports/history.py luodi/imports/jobs.py \
	luodi/imports/communities.py luodi/imports/teachers.py luodi/imports/external.py luodi/training/ledger.py \
	luodi/api.py luodi/accounts/api_auth.py luodi/regions/api.py luodi/cadres/api.py \
	luodi/faculty/api.py luodi/curriculum/api.py luodi/training/api.py luodi/checkin/api.py \
	luodi/certificates/api.py luodi/reports/api.py \
	luodi/surveys/services.py luodi/surveys/blueprints.py \
	luodi/faculty/services.py luodi/faculty/selectors.py luodi/training/teacher_candidates.py
# Assessment projects (issue 11).
TYPED += luodi/reports/figure_check.py luodi/reports/warming.py \
	luodi/assessments/services.py luodi/assessments/computation.py \
	luodi/assessments/indicators.py luodi/assessments/results.py luodi/assessments/jobs.py \
	luodi/assessments/policies.py luodi/assessments/documents.py luodi/assessments/scoring.py
# Any province's regions (issue 13).
TYPED += luodi/regions/gb2260.py luodi/regions/services.py
# Automatic timetabling (issue 13).
TYPED += luodi/timetabling/solver.py luodi/timetabling/problem.py luodi/timetabling/services.py \
	luodi/timetabling/jobs.py luodi/timetabling/slots.py luodi/surveys/ratings.py

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy $(TYPED)
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -c pyproject.toml -r luodi -q
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1
	$(BIN)/python manage.py check

# One test process per core. Tests are handed out in pytest-django's order (transactional ones
# last, as they empty the database); those that share data built once per file stay together
# in one process (conftest.MODULE_DATA).
PYTEST = $(BIN)/python -m pytest -q -n auto --dist loadgroup

test: install lint
	$(PYTEST)

# The suite against PostgreSQL; .ci/run sets DATABASE_URL to a server it starts itself.
test-pg: install
	@test -n "$$DATABASE_URL" || (echo "DATABASE_URL is not set" && exit 2)
	$(PYTEST)

# Known vulnerabilities in every locked package (runtime and dev), from PyPI's advisory data:
# needs network access, so it is not part of `make test` (docs/security-backup.md).
audit-deps:
	@uv export --frozen --format requirements.txt --no-emit-project --all-groups -q \
		-o $(VENV)/audit-requirements.txt
	uvx pip-audit --strict --disable-pip --require-hashes -r $(VENV)/audit-requirements.txt

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
