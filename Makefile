# sigconform: the everyday commands. `make help` lists them.
GO ?= go

.PHONY: help test check vectors fmt vet bench run conformance

help:
	@echo "make run      run the embedded vectors against the reference (the README's main command)"
	@echo "make test     go test ./... (the README's test command)"
	@echo "make check    gofmt, go vet, go test, and vectorgen -check: what CI runs"
	@echo "make vectors  regenerate vectors/ from generators/"
	@echo "make bench    the benchmarks quoted in the README"
	@echo "make conformance  install the real implementations' adapters, run them, write docs/implementations.md"

run:
	$(GO) run ./cmd/conform run

test:
	$(GO) test ./...

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

vectors:
	$(GO) run ./cmd/vectorgen -out vectors

check: fmt vet test
	$(GO) run ./cmd/vectorgen -check -out vectors

conformance:
	bash adapters/conformance.sh

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./adapter ./vectors
