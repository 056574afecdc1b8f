#!/bin/sh
# Installs the exact npm packages the Node adapters wrap (package-lock.json)
# into implementations/node/node_modules. Idempotent: npm ci starts from the lock
# file every time. Needs Node.js >= 18 and npm (Debian bookworm: apt-get
# install nodejs npm).
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1; then
	echo "install.sh: node is not installed (Debian: apt-get install -y nodejs)" >&2
	exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "install.sh: npm is not installed (Debian: apt-get install -y npm)" >&2
	exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
	echo "install.sh: node $(node --version) is too old; @smithy/signature-v4 needs >= 18" >&2
	exit 1
fi
if ! npm ci --no-audit --no-fund; then
	echo "install.sh: npm ci failed (is the npm registry reachable?)" >&2
	exit 1
fi
# Check that every wrapped package loads.
node -e 'require("aws4"); require("@smithy/signature-v4"); require("@aws-crypto/sha256-js"); require("@smithy/core/protocols"); require("csclient")' || {
	echo "install.sh: an installed package does not load" >&2
	exit 1
}
echo "install.sh: node adapters ready in $(pwd)"
