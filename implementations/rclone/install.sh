#!/usr/bin/env bash
# Installs rclone v1.76.0 (the live SigV4 verifier behind `rclone serve s3`)
# into implementations/rclone/bin/ with `go install`; the Go module proxy
# supplies it and its dependencies, pinned by rclone's own go.sum.
# Idempotent: an rclone of that version already in bin/ is kept.
# On failure it exits non-zero with the reason as its last line.
set -uo pipefail
cd "$(dirname "$0")"
version=v1.76.0
bin=$PWD/bin
# The module version the binary was built from (`rclone version` says
# v1.76.0-DEV for a go install build: the release sets it at link time).
built() { go version -m "$bin/rclone" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/rclone/rclone" { print $3 }'; }
if [[ -x "$bin/rclone" ]] && [[ "$(built)" == "$version" ]]; then
	echo "implementations/rclone: rclone $version already in implementations/rclone/bin/"
	exit 0
fi
if ! command -v go >/dev/null 2>&1; then
	echo "implementations/rclone/install.sh: the go command is not on PATH; rclone $version needs Go 1.25 or later"
	exit 1
fi
start=$(date +%s)
# A cold build compiles every rclone backend: 44 minutes of wall time
# (7.5 minutes of CPU) on a shared 2-core machine, 2026-12-06; a warm
# build cache only links. The time is printed so that a slow machine can
# be told from a broken one.
if ! GOBIN=$bin go install "github.com/rclone/rclone@$version"; then
	echo "implementations/rclone/install.sh: go install github.com/rclone/rclone@$version failed after $(($(date +%s) - start)) s (is the Go module proxy reachable? see above)"
	exit 1
fi
if [[ "$(built)" != "$version" ]] || ! "$bin/rclone" version > /dev/null 2>&1; then
	echo "implementations/rclone/install.sh: the rclone in implementations/rclone/bin/ is not a working build of $version (go version -m says '$(built)')"
	exit 1
fi
echo "implementations/rclone: built rclone $version in implementations/rclone/bin/ in $(($(date +%s) - start)) s"
