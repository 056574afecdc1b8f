#!/usr/bin/env bash
# with-server.sh CMD...: starts `rclone serve s3` (built by install.sh) on
# 127.0.0.1 on a free port, serving a local directory in a temporary
# directory and checking SigV4 against one --auth-key pair of test keys;
# waits until it answers; runs CMD with SIGCONFORM_TARGET (its base URL),
# SIGCONFORM_ACCESS_KEY and SIGCONFORM_SECRET_KEY in the environment; stops
# the server on every way out; exits with CMD's status (2 when the server
# cannot be started, with the tail of its log).
#
# Only test keys are used: these, and nothing a user configured (rclone is
# given an empty config file of its own).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rclone=$here/bin/rclone
if [[ $# -eq 0 ]]; then
	echo "usage: implementations/rclone/with-server.sh CMD [ARG...]" >&2
	exit 2
fi
if [[ ! -x "$rclone" ]]; then
	echo "with-server.sh: $rclone is missing; run implementations/rclone/install.sh first" >&2
	exit 2
fi

access=AKIDSIGCONFORMTEST
secret='sigconform-test-secret/+='
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sigconform-rclone.XXXXXX")
pid=
stop() {
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
cmdpid=
# On a signal, CMD is stopped too, then the EXIT trap stops the server.
quit() {
	[[ -n "$cmdpid" ]] && kill -TERM "$cmdpid" 2>/dev/null
	exit "$1"
}
trap stop EXIT
trap 'quit 130' INT
trap 'quit 143' TERM HUP

# The served directory: its subdirectories are buckets. The probe's
# requests keep their vectors' paths (/, /a/b, /bucket/key, /example/...),
# so the first segments of those paths exist as buckets, and a request the
# signature check lets through reaches a bucket that is there.
data=$tmp/data
mkdir -p "$data"
for b in bucket example examplebucket a test; do mkdir -p "$data/$b"; done
: > "$tmp/rclone.conf"
log=$tmp/rclone.log

# A free port: a random high one, tried again (up to 5 times) when rclone
# exits at once saying it is in use.
fail() {
	echo "with-server.sh: $1" >&2
	if [[ -s "$log" ]]; then
		echo "--- the last lines of rclone's log:" >&2
		tail -n 20 "$log" >&2
	fi
	exit 2
}
started=false
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	"$rclone" serve s3 --config "$tmp/rclone.conf" --addr "127.0.0.1:$port" \
		--auth-key "$access,$secret" --log-file "$log" -v "$data" &
	pid=$!
	# Wait until it answers: any HTTP status will do (an unsigned request
	# gets 403). Generous: the machine may be loaded.
	deadline=$((SECONDS + 60))
	while ((SECONDS < deadline)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null)
		if [[ "$code" =~ ^[1-5][0-9][0-9]$ ]]; then
			started=true
			break 2
		fi
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "rclone serve s3 did not answer on 127.0.0.1:$port within 60 s"
	fi
	wait "$pid" 2>/dev/null
	pid=
	grep -q 'address already in use' "$log" 2>/dev/null || fail "rclone serve s3 exited at start"
done
$started || fail "no free port found in 5 tries"

export SIGCONFORM_TARGET="http://127.0.0.1:$port"
export SIGCONFORM_ACCESS_KEY=$access
export SIGCONFORM_SECRET_KEY=$secret
# CMD runs in the background (its standard input kept) so that a signal
# to this script is handled at once, not when CMD ends.
"$@" <&0 &
cmdpid=$!
wait "$cmdpid"
status=$?
cmdpid=
exit $status
