# Desert Carbon Sink plugin. `make demo` and `make test` set everything up on a fresh Debian 12.
SHELL := /bin/bash
PYTHON := /usr/bin/python3
VENV := .venv
VPY := $(VENV)/bin/python
PLUGIN_ROOT := $(CURDIR)/.build/plugins
PROFILE := $(CURDIR)/.build/qgis-profile
QGIS_PROFILES := $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
export QT_QPA_PLATFORM ?= offscreen
export PYQTGRAPH_QT_LIB := PyQt5

.PHONY: deps test lint demo bench package install qgis screenshots translations clean test-matrix

deps: $(VENV)/.deps-done $(PLUGIN_ROOT)/desert_carbon

$(VENV)/.deps-done: requirements-test.txt scripts/install_system_packages.sh
	@scripts/install_system_packages.sh
	@[ -x $(VPY) ] || $(PYTHON) -m venv --system-site-packages $(VENV)
	@$(VPY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@

# QGIS loads plugins by folder name: the repository appears as desert_carbon through a link.
$(PLUGIN_ROOT)/desert_carbon:
	@mkdir -p $(PLUGIN_ROOT) && ln -sfn $(CURDIR) $@

test: deps
	$(VPY) -m pytest -q

# pyflakes, pycodestyle, naming, bugbear and complexity, as pyproject.toml sets them
lint: deps
	$(VPY) -m ruff check .

demo: deps
	$(VPY) scripts/run_demo.py

# exactextract only for the benchmark, in a venv of its own: the project's never gets it
BENCH_VENV := .build/bench-venv
$(BENCH_VENV)/.done:
	@$(PYTHON) -m venv --system-site-packages $(BENCH_VENV)
	@$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check exactextract==0.3.0
	@touch $@

bench: deps $(BENCH_VENV)/.done
	@for script in bench/bench_*.py; do echo "== $$script"; $(VPY) $$script || exit 1; done

package: deps
	@$(VPY) scripts/build_package.py dist

install: package
	@mkdir -p $(QGIS_PROFILES)
	@rm -rf $(QGIS_PROFILES)/desert_carbon
	@cd $(QGIS_PROFILES) && unzip -q -o $(CURDIR)/dist/desert_carbon-*.zip
	@QT_QPA_PLATFORM=offscreen qgis_process.bin plugins enable desert_carbon >/dev/null 2>&1 || true   # non-zero when already enabled
	@echo "Installed into $(QGIS_PROFILES)/desert_carbon and enabled."

qgis: demo
	@scripts/qgis_profile.sh $(PROFILE)
	env -u QT_QPA_PLATFORM QGIS_PLUGINPATH=$(PLUGIN_ROOT) qgis --nologo --noversioncheck \
		--profiles-path $(PROFILE) --code scripts/open_demo.py

# The README's pictures: the demo result and the toolbox in a real QGIS window under Xvfb.
screenshots: demo
	@scripts/qgis_profile.sh $(PROFILE)
	env -u QT_QPA_PLATFORM QGIS_PLUGINPATH=$(PLUGIN_ROOT) xvfb-run -a -s "-screen 0 1400x900x24" qgis --nologo \
		--noversioncheck --profiles-path $(PROFILE) --code scripts/screenshots.py

# Every user-facing string (tr() and QT_TRANSLATE_NOOP) into the template translators copy, merged into each
# translation (resources/i18n/desert_carbon_<language>.ts: new strings come in unfinished), compiled to the .qm files
# the plugin loads. tests/qgis/test_translations.py names any string a translation lacks.
I18N_SOURCES := $(shell find core qgis_layers processing_provider plugin -name '*.py')
TRANSLATIONS := $(wildcard resources/i18n/desert_carbon_*.ts)
translations: deps
	@mkdir -p resources/i18n
	@pylupdate5 -noobsolete $(I18N_SOURCES) -ts resources/i18n/desert_carbon.ts $(TRANSLATIONS) 2>/dev/null
	@for ts in $(TRANSLATIONS); do lrelease -silent $$ts -qm $${ts%.ts}.qm; done
	@echo "$$(grep -c '<source>' resources/i18n/desert_carbon.ts) strings in resources/i18n/desert_carbon.ts"

# The suite and the demo in Debian chroots (cached in .build/matrix): bookworm-backports' QGIS 3.40 LTR and
# sid's newest QGIS. RELEASES="sid" runs one; REBUILD=1 builds the chroots anew. Needs root.
test-matrix:
	@scripts/test_matrix.sh $(if $(filter-out 0,$(REBUILD)),--rebuild) $(RELEASES)

clean:
	rm -rf .build dist demo-output
