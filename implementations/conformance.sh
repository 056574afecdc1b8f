#!/usr/bin/env bash
# make conformance: install every adapter (implementations/*/install.sh), run each
# implementation over the whole corpus, keep its JSON report in
# docs/conformance/<name>.json, write docs/implementations.md from them, and
# run vectorgen, which marks cases cross-checked from the reports.
#
#   implementations/conformance.sh                 all adapter directories, writing docs/
#   implementations/conformance.sh -check go python  only these directories, into a
#                                           temporary directory, and fail if a
#                                           report differs from the committed one
#
# A directory with a live.txt instead of adapters.txt is a live verifier: a
# server started on loopback for the run and probed (implementations/README.md).
# An adapter whose install fails is listed as not installed, never silently
# left out. Old reports are removed first: a report is only ever the result
# of the run that wrote it.
set -uo pipefail
cd "$(dirname "$0")/.."

check=false
if [[ "${1:-}" == "-check" ]]; then
	check=true
	shift
fi
dirs=("$@")
all=false
if [[ ${#dirs[@]} -eq 0 ]]; then
	all=true
	for d in implementations/*/; do dirs+=("$(basename "$d")"); done
fi

out=docs/conformance
if $check; then
	out=$(mktemp -d)
fi
logs=$(mktemp -d)
mkdir -p "$out" bin
# A report is only ever the result of the run that wrote it: a run of every
# directory removes them all first; a run of some directories rewrites
# theirs (each run below removes its report first) and keeps the others',
# with their lines of not-installed.txt.
if ! $check && $all; then
	rm -f "$out"/*.json "$out"/not-installed.txt # investigating.txt stays
fi
go build -o bin/conform ./cmd/conform || exit 1

failed=0
if ! $check && ! $all && [[ -f "$out/not-installed.txt" ]]; then
	for d in "${dirs[@]}"; do
		grep -v "^implementations/$d[: ]" "$out/not-installed.txt" > "$logs/ni" || true
		cp "$logs/ni" "$out/not-installed.txt"
	done
else
	: > "$out/not-installed.txt"
fi

# live runs the lines of a live verifier's live.txt (implementations/README.md):
# each inside the directory's with-server.sh, which starts the server on
# loopback with test keys, through implementations/live-run.sh. A server
# that does not start, or a line that writes no report, is listed as not
# installed with the reason, like a failed install.
live() {
	local d=$1 dir=implementations/$1 name lib scheme mode args code log
	while IFS=$'\t' read -r name lib scheme mode args; do
		[[ -z "$name" || "$name" == \#* ]] && continue
		log=$logs/$name.live.log
		rm -f "$out/$name.json"
		local start=$SECONDS
		bash "$dir/with-server.sh" bash implementations/live-run.sh "$mode" "$name" "$lib" "$scheme" "$out/$name.json" "$args" > "$log" 2>&1
		code=$?
		if [[ ! -s "$out/$name.json" ]] || [[ $code -gt 1 && $mode == probe ]] || [[ $code -gt 3 ]]; then
			local reason
			reason=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
			echo "   $name ($lib): NOT RUN (exit code $code): $reason"
			sed 's/^/      /' "$log" | tail -n 15
			echo "$dir ($name): not run on the machine that wrote this file: $reason" >> "$out/not-installed.txt"
			rm -f "$out/$name.json"
			return 1
		fi
		if [[ $mode == probe ]]; then
			echo "   $name ($lib, live, $((SECONDS - start)) s): $(grep -m1 '^conform probe:' "$log" | sed 's/^conform probe: //'); $(grep -m1 '^result:' "$log")"
		else
			echo "   $name ($lib, live, $((SECONDS - start)) s): $(grep -m1 -A5 '"total"' "$out/$name.json" | tr -d ' \n' | sed 's/"total"://;s/,"schemes.*//')"
		fi
	done < "$dir/live.txt"
}
for d in "${dirs[@]}"; do
	dir=implementations/$d
	echo "== $dir: installing"
	if ! bash "$dir/install.sh" > "$logs/$d.log" 2>&1; then
		reason=$(tail -n 1 "$logs/$d.log")
		echo "   NOT INSTALLED: $reason"
		echo "implementations/$d: not installed on the machine that wrote this file: $reason" >> "$out/not-installed.txt"
		failed=1
		continue
	fi
	if [[ -f "$dir/live.txt" ]]; then
		live "$d" || failed=1
		continue
	fi
	while IFS=$'\t' read -r name lib schemes cmd; do
		[[ -z "$name" || "$name" == \#* ]] && continue
		rm -f "$out/$name.json"
		bin/conform run -exec "$cmd" -scheme "$schemes" -label "$lib" -max-broken 0 -format json > "$out/$name.json"
		code=$?
		case $code in
		0 | 1 | 3) echo "   $name ($lib): $(grep -m1 -A5 '"total"' "$out/$name.json" | tr -d ' \n' | sed 's/"total"://;s/,"schemes.*//')" ;;
		*) echo "   $name: conform run failed with exit code $code"; exit 1 ;;
		esac
	done < "$dir/adapters.txt"
done

if $check; then
	status=0
	for f in "$out"/*.json; do
		[[ -e $f ]] || continue # none written: every directory failed to install or start
		name=$(basename "$f")
		# A case's position in its file moves when vectorgen rewrites
		# the file; what the implementation did does not.
		if ! diff -q <(grep -v '"pos":' "$f") <(grep -v '"pos":' "docs/conformance/$name" 2>/dev/null) > /dev/null; then
			echo "conformance: docs/conformance/$name differs from this run (run make conformance and commit):"
			diff <(grep -E '"(id|status|stage|name)"' "docs/conformance/$name" 2>/dev/null) <(grep -E '"(id|status|stage|name)"' "$f") | head -20
			status=1
		fi
	done
	if [[ $failed -ne 0 ]]; then
		echo "conformance: some adapters could not be installed (above); their reports were not checked"
	fi
	rm -rf "$out" "$logs"
	exit $status
fi

inv=()
[[ -f "$out/investigating.txt" ]] && inv=(-investigating "$out/investigating.txt")
bin/conform matrix -out docs/implementations.md -html docs/implementations.html -not-installed "$out/not-installed.txt" "${inv[@]}" "$out"/*.json || exit 1
[[ -s "$out/not-installed.txt" ]] || rm -f "$out/not-installed.txt"
rm -rf "$logs"
echo "wrote docs/implementations.md and docs/implementations.html from $(ls "$out"/*.json | wc -l) reports"

# vectorgen marks cases cross-checked from these reports. Rewriting the
# vector files moves cases and records variants the next run reports
# against, so run again until vectorgen has nothing left to write.
if [[ -z "${SIGCONFORM_CONFORMANCE_ROUND:-}" ]]; then
	for round in 2 3 4; do
		written=$(go run ./cmd/vectorgen -out vectors) || exit 1
		[[ -z "$written" ]] && break
		echo "$written"
		echo "== round $round: the vectors changed; running the implementations again"
		SIGCONFORM_CONFORMANCE_ROUND=$round bash "$0" "${dirs[@]}" > /dev/null || exit 1
	done
fi
exit $failed
