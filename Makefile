# Business Connect — the commands people and CI use. `make help` lists them.
SHELL := /bin/bash
BIN   := bin/bizconnect

.PHONY: help run test build lint bench fuzz nlu-train db-start db-stop db-psql clean

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## run the product: local PostgreSQL (unless DATABASE_URL is set), migrations, the assistant
	@scripts/run.sh

test: ## all checks and tests on a throwaway PostgreSQL: gofmt, vet, staticcheck, go test -race
	@scripts/test.sh

build: ## build bin/bizconnect
	@go build -o $(BIN) .

lint: ## gofmt, go vet and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...
	go tool staticcheck ./...

bench: ## pgbench yardstick and the Go benchmarks on a throwaway PostgreSQL (docs/benchmarks.md)
	@scripts/bench.sh

nlu-train: ## train the intent and title models from core/nlu/testdata (writes core/nlu/intent.model, core/nlu/title.model and docs/nlu-model.md)
	go run ./core/nlu/internal/nlutrain

fuzz: ## fuzz the message parser for 60 s
	go test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./core/nlu/

db-start: ## start the local development PostgreSQL in ./.data/pg
	@scripts/pg.sh start .data/pg $${PG_PORT:-55432}

db-stop: ## stop the local development PostgreSQL
	@scripts/pg.sh stop .data/pg

db-psql: ## psql into the local development database as the schema owner
	@psql "postgres://bizconnect@127.0.0.1:$${PG_PORT:-55432}/bizconnect"

clean: ## stop the local database and remove ./.data and ./bin
	@scripts/pg.sh stop .data/pg; rm -rf .data bin
