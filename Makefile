# relief-analytics — `make help` lists every target.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ANNEE ?=
DONNEES ?=

## Crée l'environnement virtuel .venv et installe le projet (refait seulement si pyproject.toml change)
install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (relief-analytics)" >/dev/null
	@touch $(STAMP)

# The package's bytecode, written once: every report kernel would otherwise compile the package
# again when PYTHONDONTWRITEBYTECODE is set (as on CI machines). Quick when nothing changed.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q relief_analytics

## Produit tous les rapports de l'année dans reports/<année>/ (ANNEE=2024 DONNEES=data/private pour changer)
reports: install bytecode
	$(BIN)/relief rapports $(if $(ANNEE),--annee $(ANNEE)) $(if $(DONNEES),--donnees $(DONNEES))

## Construit le site public (reports/site/) depuis les rapports déjà construits (DONNEES=… ANNEE=…)
site: install bytecode
	$(BIN)/relief site $(if $(ANNEE),--annee $(ANNEE)) $(if $(DONNEES),--donnees $(DONNEES))

## Lance tous les tests (installe d'abord si besoin)
test: install
	$(BIN)/python -m pytest -q

## Lance les tests rapides seulement (sans construction de rapports ni navigateur)
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

## Lance le fuzzer longuement (FUZZ_EXEMPLES=500 par défaut ; make test en lance 15)
fuzz: install
	RELIEF_FUZZ_EXAMPLES=$(or $(FUZZ_EXEMPLES),500) RELIEF_FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/trust/test_fuzz.py --hypothesis-show-statistics

## Vérifie les données et liste chaque ligne rejetée (DONNEES=… pour vos données réelles)
valider: install
	$(BIN)/relief valider $(if $(DONNEES),--donnees $(DONNEES))

## Vérifie le style du code (ruff) et que les couches ne s'importent que vers le bas (import-linter)
lint: install
	$(BIN)/ruff check relief_analytics tests scripts
	$(BIN)/lint-imports

## Régénère le dictionnaire des données (docs/dictionnaire_des_donnees.md) depuis les schémas
dictionnaire: install
	$(BIN)/relief dictionnaire

## Régénère les données d'exemple synthétiques (data/sample/)
sample: install
	$(BIN)/python scripts/generate_sample.py

## Ouvre JupyterLab sur explorations/ (copies des notebooks, vos modifications y restent ; hors ligne)
lab: install
	$(BIN)/python -m relief_analytics.report.folders
	$(BIN)/jupyter lab explorations/ --LabApp.news_url=None \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

## Mesure construction, méthode manuelle, tailles, imports face aux objectifs, avec une calibration (REPETITIONS=3 ; écrit .bench/resultats.json et le tableau du README)
bench: install bytecode
	$(BIN)/python scripts/bench.py --readme $(if $(REPETITIONS),--repetitions $(REPETITIONS))

## Retire les sorties des notebooks (ils sont versionnés sans sorties)
strip: install
	$(BIN)/python scripts/strip_notebooks.py notebooks/*.ipynb

## Supprime l'environnement virtuel et les caches (reports/ est conservé)
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

## Affiche cette aide
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-14s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

.PHONY: install bytecode reports site test test-fast fuzz valider lint dictionnaire sample lab bench strip clean help
