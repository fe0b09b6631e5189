# The two commands of the README: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
# Resolved when used, so that a uv installed by `setup` is found.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
export UV_PYTHON_DOWNLOADS := never

LANDING ?= data/landing
WAREHOUSE ?= data/warehouse.duckdb

# Debian packages the tests and documents need: a CJK font embedded in the HR scorecard PDFs,
# and the headless Chromium the dashboard tests render Superset in.
SYSTEM_PACKAGES := fonts-wqy-microhei chromium chromium-driver

.PHONY: setup system-packages run test bench generate ui serve docs clean spark-check

# Bytecode compiled once here: every `ccw` process (and the dbt it starts) imports thousands of
# modules, which Python compiles again at each start where writing bytecode is not allowed.
setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode

generate: setup
	$(UV) run ccw generate --out $(LANDING)

run: generate
	$(UV) run ccw run --landing $(LANDING) --warehouse $(WAREHOUSE)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
		else echo "please install: sudo apt-get install $$missing"; fi; \
	fi

# One pytest worker per CPU; see tests/conftest.py for how the files are shared out.
TEST_WORKERS ?= auto
test: setup system-packages
	$(UV) run pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=30

# Generates 1,000 agents x 12 months once (data/bench/cache/), then measures; see README, Performance.
bench: setup
	$(UV) run ccw bench

ui: setup
	$(UV) run ccw ui

# Superset's dashboards on 127.0.0.1:$(PORT) and Dagster's UI on the next port.
PORT ?= 8088
serve: setup
	$(UV) run ccw serve --warehouse $(WAREHOUSE) --port $(PORT)

docs: setup
	$(UV) run ccw dbt docs generate

clean:
	rm -rf data dbt_project/target dbt_project/logs

# The same dbt models on Apache Spark: a local master, worker and Thrift server from the pyspark
# distribution (Java 17 needed), `dbt build` with method thrift, every mart compared with DuckDB's.
spark-check: setup
	$(UV) sync --frozen --group spark
	CCW_SPARK_CHECK=1 $(UV) run --frozen --group spark pytest tests/spark -v -s
