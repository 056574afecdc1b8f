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
if [[ -x "$bin/rclone" ]] && "$bin/rclone" version 2>/dev/null | head -n 1 | grep -qx "rclone $version"; then
	echo "implementations/rclone: rclone $version already in implementations/rclone/bin/"
	exit 0
fi
if ! command -v go >/dev/null 2>&1; then
	echo "implementations/rclone/install.sh: the go command is not on PATH; rclone $version needs Go 1.25 or later"
	exit 1
fi
start=$(date +%s)
# The build takes minutes on a loaded machine (it links every rclone
# backend); its time is printed so that slow machines can be told apart
# from broken ones.
if ! GOBIN=$bin go install "github.com/rclone/rclone@$version"; then
	echo "implementations/rclone/install.sh: go install github.com/rclone/rclone@$version failed after $(($(date +%s) - start)) s (is the Go module proxy reachable? see above)"
	exit 1
fi
if ! got=$("$bin/rclone" version 2>&1 | head -n 1) || [[ "$got" != "rclone $version" ]]; then
	echo "implementations/rclone/install.sh: the rclone built says '$got', not 'rclone $version'"
	exit 1
fi
echo "implementations/rclone: built rclone $version in implementations/rclone/bin/ in $(($(date +%s) - start)) s"
