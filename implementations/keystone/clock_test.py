#!/usr/bin/python3
"""Checks that the adapter really sets keystone's clock: run inside
with-server.sh, from the repository root, after `go build -o bin/conform ./cmd/conform`:

    bash implementations/keystone/with-server.sh /usr/bin/python3 implementations/keystone/clock_test.py

It takes the valid signed requests of the corpus (one SigV4, one SigV2) and
sends each through the adapter three times: with the case's own time
(keystone must accept), with that time plus one hour (keystone's
_check_timestamp must refuse it as expired: the request is 60 minutes old,
its limit is 15) and with no time, i.e. keystone's real clock (expired too,
the vectors are dated 2024). If the clock file had no effect, the first
and second answers would be equal. Exit status 0 when all six are right.
"""

import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ("sigv4/verify/get-valid", "sigv2/verify/get-valid")


def main():
    corpus = json.loads(subprocess.run(["bin/conform", "export"], check=True, capture_output=True).stdout)
    cases = {}
    for f in corpus["files"]:
        for c in f["cases"]:
            if c["id"] in CASES:
                cases[c["id"]] = dict(c, scheme=f["scheme"])
    missing = [i for i in CASES if i not in cases]
    if missing:
        print("clock_test: cases not in the corpus: %s" % ", ".join(missing))
        return 1
    adapter = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "keystone_server_adapter.py")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    failed = 0
    try:
        for cid in CASES:
            c = cases[cid]
            t = datetime.datetime.fromisoformat(c["context"]["time"].replace("Z", "+00:00"))
            late = (t + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            for label, when, want in (("the case's time", c["context"]["time"], True),
                                      ("one hour later", late, False),
                                      ("the real clock", None, False)):
                ctx = dict(c["context"])
                if when is None:
                    ctx.pop("time", None)
                else:
                    ctx["time"] = when
                req = {"protocol": "sigconform-adapter/v1", "id": cid, "op": "verify", "scheme": c["scheme"],
                       "credentials": c["credentials"], "request": c["request"], "context": ctx}
                adapter.stdin.write(json.dumps(req) + "\n")
                adapter.stdin.flush()
                resp = json.loads(adapter.stdout.readline())
                v = resp.get("verdict")
                ok = v is not None and v["accept"] == want and (want or v.get("reason") == "expired")
                failed += not ok
                print("%s %s at %s: want %s, got %s" % ("ok  " if ok else "FAIL", cid, label,
                                                        "accept" if want else "reject (expired)", json.dumps(resp)))
    finally:
        adapter.stdin.close()
        adapter.wait(timeout=60)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
