# The meldcode assistant. `make help` lists the targets.
# Two commands do everything on a fresh machine: `make run` and `make test`.

SHELL := /bin/bash
# A failing command inside a pipe fails the target.
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BOT := $(PY) -m bot
INSTALLED := $(VENV)/.installed
SPACY_CHECKED := $(VENV)/.spacy-model-checked
MODEL_STAMP := models/.trained
# Everything that changes the trained model: data, config, the NLU components
# and the code that picks the spaCy pipeline they load.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') \
	$(wildcard bot/nlu/*.py) bot/spacy_model.py $(SPACY_CHECKED)

export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install spacy-model train run shell actions check-content \
	test checks lint test-unit validate test-model test-stories test-scale bench bench-session-split bench-attribution purge clean teams-app

help: ## Toon deze lijst
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

install: $(INSTALLED) $(SPACY_CHECKED) ## Maak .venv en installeer alles (vaste versies)

$(INSTALLED): requirements.txt constraints.txt scripts/find-python.sh
	@interpreter=$$(scripts/find-python.sh) || exit 1; \
	echo ">> Python: $$interpreter"; \
	if [ ! -x $(PY) ]; then "$$interpreter" -m venv $(VENV) || exit 1; fi
	@echo ">> Pakketten installeren (eerste keer: enkele minuten) ..."
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -r requirements.txt -c constraints.txt \
		| { grep -E "^(Collecting|Successfully)" || true; }
	@touch $@

$(SPACY_CHECKED): $(INSTALLED)
	@echo ">> Nederlands spaCy-model controleren ..."
	$(BOT) spacy-model
	@touch $@

spacy-model: $(INSTALLED) ## Installeer nl_core_news_sm (of uit MELDCODE_SPACY_MODEL_WHEEL)
	$(BOT) spacy-model
	@touch $(SPACY_CHECKED)

train: $(MODEL_STAMP) ## Train het model als data, domein of config nieuwer zijn

$(MODEL_STAMP): $(TRAINING_INPUTS) | $(INSTALLED)
	@echo ">> Model trainen (enkele minuten) ..."
	$(BOT) rasa train --fixed-model-name meldcode --out models
	@touch $@

check-content: $(INSTALLED) ## Controleer het protocolbestand
	$(BOT) check-content

run: install train ## Start actieserver en Rasa-server met de webwidget: http://localhost:5005/webhooks/webchat/
	$(BOT) serve

shell: install train ## Start actieserver en chat in de terminal
	$(BOT) chat

actions: install ## Start alleen de actieserver
	$(BOT) actions

test: install ## Alle tests: unit, data, training, NLU-kwaliteit, verhalen, end-to-end
	@# Training runs next to the checks that need no model (CI time on 2 cores);
	@# each job's output is printed in one piece when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=recurse train checks
	$(MAKE) --no-print-directory test-model
	@echo ">> Alle tests geslaagd."

checks: $(INSTALLED) ## lint, check-content, test-unit en validate na elkaar (geen model nodig)
	$(MAKE) --no-print-directory -j1 lint check-content test-unit validate

lint: $(INSTALLED) ## ruff: codestijl en opmaak (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-unit: $(INSTALLED) ## Snelle unit-tests (geen getraind model nodig)
	$(PY) -m pytest -m "not integration" tests

validate: $(INSTALLED) ## rasa data validate, waarschuwingen zijn fouten
	$(BOT) rasa data validate --fail-on-warnings

test-model: $(MODEL_STAMP) ## NLU-drempels, gesprekstests en end-to-end op één gedeelde assistent (max. 3 Rasa-starts)
	$(PY) -m pytest -m integration --durations=10 tests
	@# The same conversations once more with a new session at every rest point
	@# (bot/session_split.py): the answers must not change.
	SESSION_TURNS=1 $(PY) -m pytest -m integration -q tests/test_e2e_rest.py tests/test_e2e_issue11.py tests/test_e2e_slack.py tests/test_e2e_teams.py tests/test_restart.py

test-scale: $(MODEL_STAMP) ## Alleen de opschaaltest: gedeelde assistent plus server B op PostgreSQL en Redis
	$(PY) -m pytest tests/test_scale_out.py

bench: install ## Benchmark (~15 min, niet in make test): schrijft docs/benchmarks.md
	$(PY) -m bench $(BENCH_ARGS)

bench-session-split: install $(MODEL_STAMP) ## Experiment (~10 min): een nieuwe sessie om de 20 beurten, beurt 1 tegen beurt 100
	$(PY) -m bench.session_split

bench-attribution: install $(MODEL_STAMP) ## Experiment (~7 min): waar de tijd van een beurt heen gaat, ons tegen de referentie
	$(PY) -m bench.attribution $(ATTRIBUTION_ARGS)

test-stories: $(MODEL_STAMP) ## Alleen de gesprekstests (tests/test_*.yml) met rasa test core; elke fout telt
	$(BOT) rasa test core --model models --stories tests \
		--fail-on-prediction-errors --out results/core

purge: install ## Verwijder gesprekken ouder dan RETENTION_DAYS (standaard 30) dagen
	$(BOT) purge

teams-app: install ## Teams-app (zip) maken: make teams-app ORGANISATIE="..." WEBSITE=https://...
	$(PY) -m bot.channels.teams.package --organisatie "$(ORGANISATIE)" --website "$(WEBSITE)"

clean: ## Verwijder model, resultaten en .venv
	rm -rf models results $(VENV) .pytest_cache
