# The two commands of the README: `make run` and `make test`.
.PHONY: run test lint unit openapi seed db-stop

run:
	@scripts/setup.sh
	scripts/with-postgres.sh cargo run --release -p noxchat -- serve

test: lint
	scripts/with-postgres.sh cargo test --workspace

lint:
	@scripts/setup.sh
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# Regenerates the committed OpenAPI document after an API change.
openapi:
	cargo run -q -p noxchat -- openapi > openapi/openapi.json

seed:
	scripts/with-postgres.sh cargo run --release -p noxchat -- seed

# Stops the project-local PostgreSQL cluster, if `make` started one.
db-stop:
	@if [ -f var/postgres/postmaster.pid ]; then \
		if [ "$$(id -u)" = 0 ]; then runuser -u postgres -- pg_ctl -D var/postgres stop; \
		else pg_ctl -D var/postgres stop; fi; \
	fi
