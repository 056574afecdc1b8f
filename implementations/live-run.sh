#!/usr/bin/env bash
# Runs one line of a live verifier's live.txt against its server. It is
# called by implementations/conformance.sh inside the directory's
# with-server.sh, which has started the server and exported
# SIGCONFORM_TARGET, SIGCONFORM_ACCESS_KEY and SIGCONFORM_SECRET_KEY:
#
#   live-run.sh probe NAME LIB SCHEME OUT.json ARGS
#   live-run.sh exec  NAME LIB SCHEME OUT.json ARGS
#
# probe: conform probe against $SIGCONFORM_TARGET. ARGS is split on blanks
#        (no quoting, no globbing) and each $SIGCONFORM_X or ${SIGCONFORM_X}
#        in a word is replaced by that variable's value; nothing else is
#        expanded or evaluated. The report is made reproducible: the
#        loopback port, which changes from run to run, is written as PORT.
# exec:  conform run -exec "ARGS" -kind verify (sh -c runs ARGS, so the
#        adapter command may use the SIGCONFORM_* variables itself). A live
#        server only verifies, so its report holds the verify cases alone;
#        and it answers in seconds, not microseconds (keystone's ec2tokens
#        takes 1-4 s on a loaded machine), so each case gets 60 s.
#
# Exit status: conform's (0 as the reference, 1 divergences, 2 or more an
# error).
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ne 6 ]]; then
	echo "usage: live-run.sh probe|exec NAME LIB SCHEME OUT.json ARGS" >&2
	exit 2
fi
mode=$1 name=$2 lib=$3 scheme=$4 out=$5 args=$6
: "${SIGCONFORM_TARGET:?with-server.sh did not export it}" "${SIGCONFORM_ACCESS_KEY:?}" "${SIGCONFORM_SECRET_KEY:?}"

# expand replaces $SIGCONFORM_X and ${SIGCONFORM_X} in one word.
expand() {
	local w=$1 out="" var
	while [[ $w =~ ^([^$]*)\$(\{(SIGCONFORM_[A-Z0-9_]+)\}|(SIGCONFORM_[A-Z0-9_]+))(.*)$ ]]; do
		var=${BASH_REMATCH[3]:-${BASH_REMATCH[4]}}
		out+=${BASH_REMATCH[1]}${!var-}
		w=${BASH_REMATCH[5]}
	done
	printf '%s' "$out$w"
}

case $mode in
probe)
	read -ra words <<< "$args"
	extra=()
	for w in "${words[@]}"; do extra+=("$(expand "$w")"); done
	raw=$(mktemp)
	bin/conform probe -scheme "$scheme" -target "$SIGCONFORM_TARGET" -access-key "$SIGCONFORM_ACCESS_KEY" \
		-secret-env SIGCONFORM_SECRET_KEY -label "$lib" "${extra[@]}" -report-json "$raw"
	code=$?
	if [[ -s $raw ]]; then
		# The port is the one thing that differs between two runs.
		sed -E 's#(https?://(127\.0\.0\.1|localhost|\[::1\])):[0-9]+#\1:PORT#g' "$raw" > "$out"
	fi
	rm -f "$raw"
	exit $code
	;;
exec)
	bin/conform run -exec "$args" -kind verify -timeout 60s -scheme "$scheme" -label "$lib" -max-broken 0 -format json > "$out"
	;;
*)
	echo "live-run.sh: mode $mode is neither probe nor exec ($name)" >&2
	exit 2
	;;
esac
