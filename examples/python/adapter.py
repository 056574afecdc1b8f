#!/usr/bin/env python3
"""A minimal sigconform adapter in Python: a ZStack signer.

conform writes one JSON request per line on standard input and reads one
JSON response per line on standard output (docs/protocol.md). This adapter
signs ZStack requests and answers "unsupported" to everything else, which
the report counts as skipped.

    conform run -exec 'python3 examples/python/adapter.py'
"""

import base64
import hashlib
import hmac
import json
import sys
import urllib.parse

PROTOCOL = "sigconform-adapter/v1"


def header(request, name):
    for key, value in request.get("headers") or []:
        if key.lower() == name.lower():
            return value
    return None


def sign_zstack(req):
    request = req["request"]
    date = header(request, "Date")
    if date is None:
        return {"unsupported": "this example needs the request's Date header"}
    # ZStack signs the decoded path without its /zstack context and without
    # the query string.
    path = urllib.parse.urlsplit(request["url"]).path
    if path.startswith("/zstack/"):
        path = path[len("/zstack"):]
    uri = urllib.parse.unquote(path)
    string_to_sign = "\n".join([request["method"], date, uri])
    secret = req["credentials"]["secret_key"].encode()
    mac = hmac.new(secret, string_to_sign.encode(), hashlib.sha1).digest()
    signature = base64.b64encode(mac).decode()
    key = req["credentials"]["access_key"]
    return {"result": {
        "signature": signature,
        "headers": [["Authorization", "ZStack %s:%s" % (key, signature)]],
        "stages": {"string_to_sign": string_to_sign},
    }}


def answer(req):
    if req.get("protocol") != PROTOCOL:
        return {"error": "unknown protocol %r" % req.get("protocol")}
    if req["scheme"] == "zstack" and req["op"] == "sign":
        return sign_zstack(req)
    return {"unsupported": "this example signs ZStack requests only"}


def main():
    for line in sys.stdin:
        req = json.loads(line)
        response = answer(req)
        response["id"] = req.get("id", "")
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
