#!/usr/bin/env bash
# with-server.sh CMD...: start a throw-away OpenStack keystone (Debian's
# python3-keystone, installed by install.sh) on 127.0.0.1, run CMD against
# it, stop it, exit with CMD's status.
#
# keystone gets a temporary directory: keystone.conf, a sqlite database,
# fernet and credential key repositories, its log. It is bootstrapped
# (keystone-manage bootstrap: the admin user, project and role, a test
# password), served by Debian's keystone-wsgi-public (wsgiref) on a free
# port, under libfaketime with FAKETIME_TIMESTAMP_FILE and
# FAKETIME_NO_CACHE=1, so that whoever writes that file sets keystone's
# clock (see keystone_live.py set_clock; the monotonic clock moves with
# it, since libfaketime 0.9.10 breaks time.sleep under
# FAKETIME_DONT_FAKE_MONOTONIC). The vectors' test key pair is created as
# an EC2 credential. CMD sees:
#   SIGCONFORM_TARGET                  keystone's base URL (http://127.0.0.1:PORT)
#   SIGCONFORM_ACCESS_KEY, SIGCONFORM_SECRET_KEY   the EC2 credential (test keys)
#   SIGCONFORM_KEYSTONE_ADMIN_PASSWORD the bootstrap admin's test password
#   SIGCONFORM_FAKETIME_FILE           keystone's clock
# With SIGCONFORM_KEYSTONE_LOGS=DIR, keystone's logs are copied to DIR at the end.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -eq 0 ]]; then
	echo "usage: with-server.sh CMD..." >&2
	exit 2
fi

access=${SIGCONFORM_KEYSTONE_ACCESS_KEY:-AKIDSIGCONFORMTEST}
secret=${SIGCONFORM_KEYSTONE_SECRET_KEY:-sigconform-test-secret/+=}
password=sigconform-test-admin-password
start_wait=${SIGCONFORM_KEYSTONE_START_WAIT:-180}

libfaketime=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketime\.so\.1$')
if [[ -z "$libfaketime" ]]; then
	echo "with-server.sh: libfaketime is not installed (run implementations/keystone/install.sh)" >&2
	exit 1
fi
for t in keystone-manage keystone-wsgi-public; do
	if ! command -v "$t" > /dev/null; then
		echo "with-server.sh: $t not found (run implementations/keystone/install.sh)" >&2
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sigconform-keystone.XXXXXX")
pid=""
cleanup() {
	# SIGCONFORM_KEYSTONE_LOGS=DIR keeps keystone's logs, for debugging
	if [[ -n "${SIGCONFORM_KEYSTONE_LOGS:-}" ]]; then
		mkdir -p "$SIGCONFORM_KEYSTONE_LOGS" && cp "$work"/*.log "$SIGCONFORM_KEYSTONE_LOGS"/ 2> /dev/null
	fi
	if [[ -n "$pid" ]] && kill -0 "$pid" 2> /dev/null; then
		kill "$pid" 2> /dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2> /dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
	echo "with-server.sh: $*" >&2
	if [[ -f "$work/keystone.log" ]]; then
		echo "--- last lines of keystone's log:" >&2
		tail -n 20 "$work/keystone.log" >&2
	fi
	# the reason stays the last line
	echo "with-server.sh: $*" >&2
	exit 1
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$work/fernet-keys" "$work/credential-keys"
conf=$work/keystone.conf
cat > "$conf" << EOF
[DEFAULT]
log_file = $work/keystone.log
# keystone's 401 then says why it refused (signature, key, timestamp), which
# the adapter reports as the reason; test data only
insecure_debug = true
[database]
connection = sqlite:///$work/keystone.db
[fernet_tokens]
key_repository = $work/fernet-keys
[fernet_receipts]
key_repository = $work/fernet-keys
[credential]
key_repository = $work/credential-keys
[token]
provider = fernet
# the admin's token must stay valid while the adapter moves keystone's clock
# between the vectors' dates (keystone_live.py TOKEN_EPOCH, TOKEN_LIFETIME)
expiration = $(python3 -c "import sys; sys.path.insert(0, '$here'); import keystone_live; print(keystone_live.TOKEN_LIFETIME)")
[cache]
enabled = false
EOF
echo "+0" > "$work/faketime"

user=$(id -un)
group=$(id -gn)
km() { keystone-manage --config-file "$conf" "$@" >> "$work/setup.log" 2>&1; }
km db_sync || die "keystone-manage db_sync failed: $(tail -n 1 "$work/setup.log")"
km fernet_setup --keystone-user "$user" --keystone-group "$group" || die "keystone-manage fernet_setup failed: $(tail -n 1 "$work/setup.log")"
km credential_setup --keystone-user "$user" --keystone-group "$group" || die "keystone-manage credential_setup failed: $(tail -n 1 "$work/setup.log")"
# Write-ahead log: keystone (one process, but more than one sqlite connection
# in a request) otherwise fails some writes with "database is locked".
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL").fetchall()' "$work/keystone.db" ||
	die "could not put the sqlite database in WAL mode"

started=false
for attempt in 1 2 3; do
	port=$(free_port)
	url=http://127.0.0.1:$port
	km bootstrap --bootstrap-password "$password" --bootstrap-admin-url "$url/v3" \
		--bootstrap-internal-url "$url/v3" --bootstrap-public-url "$url/v3" \
		--bootstrap-region-id RegionOne || die "keystone-manage bootstrap failed: $(tail -n 1 "$work/setup.log")"
	OS_KEYSTONE_CONFIG_FILES=$conf TZ=UTC \
		LD_PRELOAD=$libfaketime FAKETIME_TIMESTAMP_FILE=$work/faketime FAKETIME_NO_CACHE=1 \
		keystone-wsgi-public --host 127.0.0.1 --port "$port" > "$work/server.log" 2>&1 < /dev/null &
	pid=$!
	if python3 "$here/keystone_live.py" wait "$url" "$start_wait" 2>> "$work/setup.log"; then
		started=true
		break
	fi
	if kill -0 "$pid" 2> /dev/null; then
		die "keystone did not answer on $url within ${start_wait}s"
	fi
	echo "with-server.sh: keystone exited on port $port (attempt $attempt): $(tail -n 1 "$work/server.log")" >&2
	pid=""
done
$started || die "keystone did not start: $(tail -n 1 "$work/server.log")"

python3 "$here/keystone_live.py" ensure "$url" "$password" "$work/faketime" "$access" "$secret" 2>> "$work/setup.log" ||
	die "could not create the EC2 credential: $(tail -n 1 "$work/setup.log")"
# The key pairs of the corpus's verify cases, when bin/conform is there to list them.
if [[ -x bin/conform ]]; then
	bin/conform export | python3 "$here/keystone_live.py" ensure-corpus "$url" "$password" "$work/faketime" 2>> "$work/setup.log" ||
		die "could not create the corpus's EC2 credentials: $(tail -n 1 "$work/setup.log")"
fi

export SIGCONFORM_TARGET=$url
export SIGCONFORM_ACCESS_KEY=$access
export SIGCONFORM_SECRET_KEY=$secret
export SIGCONFORM_KEYSTONE_ADMIN_PASSWORD=$password
export SIGCONFORM_FAKETIME_FILE=$work/faketime
"$@"
status=$?
exit $status
