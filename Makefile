# Two entry points for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .kg

.PHONY: demo test install clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/kg

install: $(BIN)/kg

# Rebuilding replaces each seed's own named graph, so the demo never deletes a store.
demo: install
	$(BIN)/kg build seeds --store $(STORE)
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg ask "who builds the Twingo-derived model?" --store $(STORE)
	$(BIN)/kg ask "siapa yang memproduksi model turunan Twingo?" --store $(STORE)
	$(BIN)/kg ask "who owns Nissan?" --store $(STORE)
	$(BIN)/kg ask "who is the CEO of Nissan?" --store $(STORE)
	$(BIN)/kg lineage Twingo --store $(STORE)
	$(BIN)/kg owners Nissan --store $(STORE)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info
