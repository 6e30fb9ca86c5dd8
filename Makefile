# The two commands of the README: `make run` and `make test`.
.PHONY: run test lint web web-deps web-build e2e openapi seed bench db-stop

TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

run: web-build
	@scripts/setup.sh
	scripts/with-postgres.sh cargo run --release -p noxchat -- serve

test: lint web
	scripts/with-postgres.sh cargo test --workspace
	NOXCHAT_TEST_SEARCH=meilisearch scripts/with-postgres.sh cargo test -p noxchat-tests -- search_
	$(MAKE) e2e

lint:
	@scripts/setup.sh
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# The spec linted for client generators; the web app: generated API types in
# sync, types, unit tests, build, size budget.
web: web-deps
	cd web-spa && npm run -s lint-api
	cd web-spa && npm run -s check-api-types
	cd web-spa && npm run -s typecheck
	cd web-spa && npm test --silent
	cd web-spa && npm run -s build
	cd web-spa && node scripts/bundle-size.mjs

# Journeys in Debian's Chromium against the real server, a fresh database and
# the built app; screenshots land in web-spa/test-results/screenshots/.
e2e: web-build
	@scripts/setup-browser.sh
	cargo build -p noxchat
	cd web-spa && NOXCHAT_BIN=$(TARGET_DIR)/debug/noxchat ../scripts/with-postgres.sh npx playwright test

web-build: web-deps
	cd web-spa && npm run -s build

web-deps:
	@scripts/check-node.sh
	@if [ ! -d web-spa/node_modules ] || [ web-spa/package-lock.json -nt web-spa/node_modules/.package-lock.json ]; then \
		cd web-spa && npm ci --no-audit --no-fund; \
	fi

# Regenerates the committed OpenAPI document and the web app's types after an API change.
openapi: web-deps
	cargo run -q -p noxchat -- openapi > openapi/openapi.json
	cargo run -q -p noxchat -- asyncapi > openapi/asyncapi.json
	cd web-spa && npm run -s api-types

seed:
	scripts/with-postgres.sh cargo run --release -p noxchat -- seed

# Figures for everything that must be fast, each beside the limit it is
# compared to (README, "Benchmarks"); BENCH_QUICK=1 for a one-minute smoke run.
bench:
	@scripts/setup.sh
	cargo build --release -p noxchat -p noxchat-bench
	NOXCHAT_BIN=$(TARGET_DIR)/release/noxchat scripts/with-postgres.sh $(TARGET_DIR)/release/noxchat-bench

# Stops the project-local PostgreSQL cluster, if `make` started one.
db-stop:
	@if [ -f var/postgres/postmaster.pid ]; then \
		if [ "$$(id -u)" = 0 ]; then runuser -u postgres -- pg_ctl -D var/postgres stop; \
		else pg_ctl -D var/postgres stop; fi; \
	fi
