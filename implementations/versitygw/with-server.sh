#!/usr/bin/env bash
# with-server.sh CMD...: starts versitygw (installed by install.sh) with its
# posix backend on a new temporary directory, on 127.0.0.1 and a free port,
# with the test keys as its root user's, waits until it answers, runs CMD
# with
#   SIGCONFORM_TARGET      http://127.0.0.1:PORT
#   SIGCONFORM_ACCESS_KEY  the test access key (the AWS documentation's example)
#   SIGCONFORM_SECRET_KEY  the test secret key
#   SIGCONFORM_REGION      the server's region (us-east-1)
#   SIGCONFORM_BUCKET      a bucket that exists (sigconform), holding the object keep
# exported, stops the server whatever happens, and exits with CMD's status.
# If the server does not start, it prints the end of its log and exits 125.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/bin/versitygw
if [[ $# -eq 0 ]]; then
	echo "usage: with-server.sh CMD..." >&2
	exit 2
fi
if [[ ! -x $bin ]]; then
	echo "versitygw is not installed: run $here/install.sh"
	exit 125
fi

export SIGCONFORM_ACCESS_KEY=AKIDEXAMPLE
export SIGCONFORM_SECRET_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export SIGCONFORM_REGION=us-east-1
export SIGCONFORM_BUCKET=sigconform

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sigconform-versitygw.XXXXXX")
pid=
stop() {
	if [[ -n $pid ]]; then
		kill "$pid" 2> /dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
		pid=
	fi
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# answers says whether something speaks HTTP on the port.
answers() {
	local line
	exec 3<> "/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	IFS= read -r -t 5 line <&3
	exec 3>&-
	[[ $line == HTTP/* ]]
}

# The bucket is a directory of the posix backend's root. The object keep in
# it is never deleted, so that a DELETE of the bucket (conform probe sends
# DELETEs last) finds it not empty instead of deleting it.
mkdir -p "$tmp/root/$SIGCONFORM_BUCKET" || exit 125
echo sigconform > "$tmp/root/$SIGCONFORM_BUCKET/keep" || exit 125
started=false
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	(exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && continue # taken
	log=$tmp/versitygw.log
	"$bin" --port "127.0.0.1:$port" --access "$SIGCONFORM_ACCESS_KEY" --secret "$SIGCONFORM_SECRET_KEY" \
		--region "$SIGCONFORM_REGION" posix "$tmp/root" > "$log" 2>&1 &
	pid=$!
	# A generous bound: a loaded machine starts it slowly.
	for _ in $(seq 600); do
		if ! kill -0 "$pid" 2> /dev/null; then
			wait "$pid" 2> /dev/null
			pid=
			break
		fi
		if answers "$port" 2> /dev/null; then
			started=true
			break
		fi
		sleep 0.1
	done
	$started && break
	if [[ -n $pid ]]; then
		echo "versitygw: no answer on 127.0.0.1:$port within 60 s"
		break
	fi
	# It exited: perhaps the port was taken meanwhile; try another.
	cp "$log" "$tmp/last.log"
done
if ! $started; then
	echo "versitygw: the server did not start; the end of its log:"
	tail -n 20 "$tmp/versitygw.log" 2> /dev/null | sed 's/^/  /'
	echo "versitygw: the server did not start (see its log above)"
	exit 125
fi
export SIGCONFORM_TARGET=http://127.0.0.1:$port
"$@"
status=$?
exit $status
