# Bürgertelefon: `make run` serves the demo, `make test` runs the suite. Both start from nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app
CATALOGS := translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po))
SOURCES := $(shell find app.py content telephony ivr sms web worker -name '*.py' -o -name '*.html' -o -name '*.xml' 2>/dev/null)

.PHONY: run test lint bench catalogs messages clean

run: $(VENV)/.installed catalogs
	@$(FLASK) port-free $(PORT)
	@$(FLASK) db upgrade
	@$(FLASK) demo load --if-empty
	@echo
	@echo "Bürgertelefon demo: http://127.0.0.1:$(PORT)/  (try it: /simulator, roadmap: /roadmap, flyer: /flyer.pdf, staff: /staff/)"
	@echo "First staff account: $(FLASK) staff add you@example.org --role admin"
	@echo "Development Twilio auth token, for signing local requests: $$($(FLASK) dev-token)"
	@echo
	@echo "The outbox worker runs alongside; without Twilio credentials it prints each SMS and news call here. Ctrl+C stops both."
	@# The worker runs in the background (it ignores Ctrl+C there) and is ended with the server;
	@# Ctrl+C ends the server quietly and the recipe as a success, so nothing is reported as a crash.
	@$(FLASK) outbox run & worker=$$!; \
		trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; echo; echo "Bürgertelefon beendet."' EXIT; \
		trap 'exit 0' INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port $(PORT) || true

test: $(VENV)/.installed catalogs lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Lint, format and types: zero findings, or the test run stops here.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed catalogs
	$(BIN)/python benchmarks/webhooks.py
	$(BIN)/python benchmarks/broadcast.py
	$(BIN)/python benchmarks/news_calls.py
	$(BIN)/python benchmarks/speech_seconds.py   # needs Debian's espeak-ng and sox

$(VENV)/.installed: pyproject.toml
	@echo "Installing Bürgertelefon into $(VENV) (the first time takes a few minutes) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[test]'
	@echo "Installed."
	touch $@

# Extract every message from the code, merge it into the catalogs, compile them.
catalogs: $(CATALOGS)/messages.pot $(MO_FILES)

$(CATALOGS)/messages.pot: $(SOURCES) babel.cfg | $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k N_plural:1,2 --no-location --sort-output \
		--project Bürgertelefon --copyright-holder "Bürgertelefon contributors" -o $@ app.py content telephony ivr sms web worker
	$(BIN)/pybabel -q update -i $@ -d $(CATALOGS) --no-fuzzy-matching --ignore-pot-creation-date --ignore-obsolete

%.mo: %.po $(CATALOGS)/messages.pot
	$(BIN)/pybabel -q compile -i $< -o $@

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache $(CATALOGS)/messages.pot $(MO_FILES)
