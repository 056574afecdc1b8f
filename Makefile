# sigconform: the everyday commands. `make help` lists them.
GO ?= go

.PHONY: help test check race vectors fmt vet bench run conformance screenshot

help:
	@echo "make run      run the embedded vectors against the reference (the README's main command)"
	@echo "make test     go test ./... (the README's test command)"
	@echo "make check    gofmt, go vet, go test, go test -race of the concurrent packages, vectorgen -check: what CI runs"
	@echo "make race     go test -race -short of the packages that run goroutines (runner, adapters, serve, loader, vectorgen)"
	@echo "make vectors  regenerate vectors/ from generators/, moving the corpus version (vectors/VERSION) as the change requires"
	@echo "make bench    the benchmarks quoted in the README (in-process, then whole processes)"
	@echo "make conformance  install the real implementations' adapters, run them, write docs/implementations.md and .html"
	@echo "make screenshot   write a sample HTML report (report.html) and a picture of it in headless Chromium (report.png)"

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

# The packages that run goroutines: the runner and its workers, the adapter
# processes and HTTP clients, serve and probe, the parallel loader, vectorgen
# marshalling its files in parallel. -short
# leaves out the slow heap test and the corpus's one-goroutine YAML round
# trip, which the plain test run has.
race:
	$(GO) test -race -short ./suites ./adapter ./server/... ./vectors ./internal/redact ./internal/vectorgencmd

check: fmt vet test race
	$(GO) run ./cmd/vectorgen -check -out vectors

conformance:
	bash implementations/conformance.sh

# The HTML report as a browser draws it, for a person to look at: a sample
# run with every outcome (TestHTMLSample writes it), photographed by
# headless Chromium. CHROMIUM=google-chrome if that is what you have.
CHROMIUM ?= chromium
screenshot:
	SIGCONFORM_HTML_SAMPLE=$(CURDIR)/report.html $(GO) test -count=1 -run '^TestHTMLSample$$' ./suites
	$(CHROMIUM) --headless=new --no-sandbox --disable-gpu --hide-scrollbars --screenshot=$(CURDIR)/report.png --window-size=1400,2000 file://$(CURDIR)/report.html
	@echo "wrote report.html and report.png"

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./adapter ./vectors ./suites
	$(GO) test -run '^$$' -bench . -benchtime 15x ./internal/procbench
