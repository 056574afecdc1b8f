#!/usr/bin/python3
"""sigconform adapter for the `cs` CloudStack client (Debian python3-cs 2.7.1).

Drives cs.client.CloudStack the way CloudStack._request does, without the
network: _prepare_request (adds apiKey and command, and signatureVersion=3
with expires only when asked), transform, then CloudStack._sign, which
HMAC-SHA1s the lowercased command string and sets params['signature'].
The URL is what requests would send: requests.Request(...).prepare().url,
exactly as _request builds it (GET only: a POST carries everything, apiKey
and signature included, in its form body, which a result cannot hold).
Names differing only in case are unsupported: cs collapses them
(CaseInsensitiveDict in _prepare_request).
cs reads the clock (datetime.utcnow in _prepare_request) only to compute
expires when none is given: pinned to context.time via cs.client.datetime.
Verify: unsupported (cs only signs). Stages: none (the command string is a
local variable of _sign).
"""

import os
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigconform_common import (Unsupported, PinnedDateTime, serve, split_url, decoded_params,
                               params_dict, is_form_post)

import cs.client as csc
import requests

csc.datetime = PinnedDateTime  # cs.client does `from datetime import datetime`
VERSION = "2.7.1"


def sign(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    u = split_url(request["url"])
    method = request["method"].lower()
    if method not in ("get", "post"):
        raise Unsupported("cs sends GET or POST only")
    if method == "post":
        if not is_form_post(request) or u.query:
            raise Unsupported("cs POSTs its parameters as a form body and nothing in the URL")
        pairs = decoded_params(request.get("body") or "", "cs (keyword arguments)", "form body")
    else:
        pairs = decoded_params(u.query, "cs (keyword arguments)")
    params = params_dict(pairs, "keyword arguments")
    folded = {}
    for k in params:
        if k.lower() in folded:
            # _prepare_request: params = CaseInsensitiveDict(**kwargs), so
            # names that differ only in case collapse into one parameter.
            raise Unsupported("parameters %r and %r differ only in case: cs keeps them in a requests "
                              "CaseInsensitiveDict (_prepare_request), which sends one of them"
                              % (folded[k.lower()], k))
        folded[k.lower()] = k
    if "signature" in {k.lower() for k in params}:
        raise Unsupported("request already carries a signature")
    command = params.pop("command", None)
    if command is None:
        raise Unsupported("no command parameter: cs needs the command name")
    version = str(ctx.get("signature_version") or "")
    if version not in ("", "3"):
        raise Unsupported("cs knows signatureVersion 3 only")
    if version == "3":
        if ctx.get("expires"):
            params.setdefault("signatureVersion", "3")
            params.setdefault("expires", ctx["expires"])
            expiration = -1
        elif "expires" in {k.lower() for k in params}:
            expiration = -1
        else:
            raise Unsupported("cs computes expires from its clock; the case gives neither expires nor a time")
    else:
        if ctx.get("expires"):
            raise Unsupported("context.expires without signature_version 3")
        expiration = -1  # cs adds signatureVersion/expires only when expiration >= 0
    base = "%s://%s%s" % (u.scheme, u.netloc, u.path)
    client = csc.CloudStack(endpoint=base, key=c["access_key"], secret=c["secret_key"],
                            method=method, expiration=timedelta(seconds=expiration) if expiration >= 0 else -1)
    kind, p = client._prepare_request(command, json=False, **params)
    csc.transform(p)
    p.pop("signature", None)
    client._sign(p)
    prepped = requests.Request(client.method, client.endpoint, **{kind: p}).prepare()
    result = {"signature": p["signature"]}
    if kind == "params":
        result["url"] = prepped.url
    # For a POST, cs sends every parameter, apiKey and signature included,
    # in the form body (requests' data=) and the bare endpoint as the URL.
    # The result has no field for a body, and the bare URL applied to the
    # vector's body would be a request cs never sends: no url is reported.
    return {"result": result}


def answer(req):
    if req["scheme"] != "cloudstack":
        return {"unsupported": "cs signs CloudStack requests only"}
    if req["op"] != "sign":
        return {"unsupported": "cs %s only signs; it has no verifier" % VERSION}
    return sign(req)


if __name__ == "__main__":
    serve(answer)
