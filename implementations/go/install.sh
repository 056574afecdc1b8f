#!/bin/sh
# Builds the Go adapters of this directory into implementations/go/bin/: awsv2,
# awsv1 and cloudstackgo. The library versions are pinned in go.mod and
# go.sum (a nested module); the Go module proxy supplies them. Idempotent.
set -eu
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
	echo "implementations/go/install.sh: the go command is not on PATH; install Go (go.mod asks for go 1.25 or later)" >&2
	exit 1
fi
if ! go mod download; then
	echo "implementations/go/install.sh: could not download the modules pinned in go.mod/go.sum (is the Go module proxy reachable?)" >&2
	exit 1
fi
if ! go build -mod=readonly -o bin/ ./cmd/...; then
	echo "implementations/go/install.sh: go build failed" >&2
	exit 1
fi
echo "implementations/go: built $(ls bin | tr '\n' ' ')in implementations/go/bin/"
