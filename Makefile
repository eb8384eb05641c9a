# dija-monitor: `make demo` shows the monitor against the demo shop; `make test` runs the tests
# (two pytest-xdist workers, each with its own demo stack: 3 min instead of 4 on 2 cores).
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := chromium mariadb-server mariadb-client dovecot-imapd prometheus-alertmanager prometheus
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: setup system-packages demo lint test bench clean

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	@python3 -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(VENV)/bin/dija-monitor demo

lint: setup  # the formatter and the linter, as configured in pyproject.toml [tool.ruff]
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

test: setup lint
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: setup  # every benchmark script with its defaults (bench/_*.py are their shared helpers)
	@for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:  # the demo stacks' run dirs are outside the checkout: `down` stops each and removes its folder
	-$(PY) -m demoshop down 2>/dev/null
	-$(PY) -m demoshop down --variant alt 2>/dev/null
	rm -rf reports
