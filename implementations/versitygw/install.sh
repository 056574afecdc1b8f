#!/usr/bin/env bash
# Installs versitygw (the S3 gateway, github.com/versity/versitygw) at the
# version live.txt names, into implementations/versitygw/bin, from the Go
# module proxy. Idempotent: a binary that already reports that version is
# kept. On failure the last line says why.
set -uo pipefail
cd "$(dirname "$0")"
version=v1.8.0
bin=$PWD/bin/versitygw
if [[ -x $bin ]] && "$bin" --version 2>/dev/null | grep -q "${version#v}"; then
	echo "versitygw $version is installed: $bin"
	exit 0
fi
if ! command -v go > /dev/null 2>&1; then
	echo "versitygw: go is not installed, so versitygw cannot be built"
	exit 1
fi
rm -f "$bin"
# -ldflags sets the version the binary reports (the Makefile's, which go
# install does not run), so that the check above can find it.
if ! GOBIN=$PWD/bin GOFLAGS=-mod=mod go install -ldflags "-X main.Version=$version" "github.com/versity/versitygw/cmd/versitygw@$version"; then
	echo "versitygw: go install github.com/versity/versitygw/cmd/versitygw@$version failed (above)"
	exit 1
fi
if [[ ! -x $bin ]]; then
	echo "versitygw: go install succeeded but wrote no $bin"
	exit 1
fi
echo "versitygw $version installed: $bin"
