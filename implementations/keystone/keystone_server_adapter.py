#!/usr/bin/python3
"""sigconform adapter for a LIVE OpenStack keystone server (Debian keystone
2:22.0.2-0+deb12u6, upstream 22.0.2): its EC2 credentials endpoint,
POST /v3/ec2tokens, is the verifier (keystone/api/ec2tokens.py
EC2TokensResource, keystone/api/_shared/EC2_S3_Resource.py).

Run it inside with-server.sh, which exports SIGCONFORM_TARGET (keystone's
base URL), SIGCONFORM_KEYSTONE_ADMIN_PASSWORD and SIGCONFORM_FAKETIME_FILE.

verify: the adapter plays the service in front of keystone (nova's EC2 API,
        ec2api, heat's cfn API): it takes the signed request apart into the
        credentials dict such a service posts, {access, signature, host, verb,
        path, params, headers, body_hash}, exactly as the in-process
        keystoneclient adapter (implementations/python/keystone_adapter.py)
        builds it for Ec2Signer, and POSTs it to /v3/ec2tokens. Before that it
        makes sure keystone holds the case's key pair as an EC2 credential and
        sets keystone's clock (libfaketime) to the case's context.time. It
        sends the admin's token, as the service would send its own: Debian's
        keystone (2:22.0.2-0+deb12u1 on, Launchpad bug 2119646) answers
        ec2tokens for admins and services only.
        200 is accept; 401 and 403 are reject, with the reason keystone's
        message names (the test config sets insecure_debug so that keystone
        says why); 404 "Could not find credential" (keystone's answer to an
        unknown access key) is reject (unknown-key); any other answer is an
        error.
        Unlike the in-process adapter it decides nothing itself: a request
        without a signature or an access key is posted without them.
sign:   unsupported: keystone verifies, it does not sign.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
sys.path.insert(0, HERE)
from sigconform_common import Clock, serve  # noqa: E402
# The same mapping from a request to Ec2Signer's credentials dict as the
# in-process adapter: a divergence between the two reports is keystone's own.
from keystone_adapter import received, sigv2_signed, query_params, host_value, body_hash, path_of  # noqa: E402
from keystone_live import Admin, set_clock, call  # noqa: E402

VERSION = "22.0.2"
REQUEST_TIMEOUT = 30  # seconds for one ec2tokens call; conform's own -timeout bounds the case

BASE = os.environ.get("SIGCONFORM_TARGET", "")
ADMIN = None


def admin():
    global ADMIN
    if ADMIN is None:
        missing = [v for v in ("SIGCONFORM_TARGET", "SIGCONFORM_KEYSTONE_ADMIN_PASSWORD", "SIGCONFORM_FAKETIME_FILE")
                   if not os.environ.get(v)]
        if missing:
            raise RuntimeError("%s not set: run this adapter inside implementations/keystone/with-server.sh"
                               % ", ".join(missing))
        ADMIN = Admin(BASE, os.environ["SIGCONFORM_KEYSTONE_ADMIN_PASSWORD"], os.environ["SIGCONFORM_FAKETIME_FILE"])
    return ADMIN


def ec2_credentials(req):
    """The body of POST /v3/ec2tokens for a signed request."""
    request, headers = received(req)
    if req["scheme"] == "sigv2":
        params, got, access = sigv2_signed(request)
    else:
        params = query_params(request)
        auth_name = next((k for k in headers if k.lower() == "authorization"), None)
        if auth_name is not None:
            auth = headers[auth_name]
            got = auth.partition("Signature=")[2].split(",")[0].strip() if "Signature=" in auth else None
            cred = auth.partition("Credential=")[2].split(",")[0]
            # Ec2Signer reads headers['Authorization'] with that exact spelling,
            # as a WSGI service's title-cased header dict has it
            if auth_name != "Authorization":
                headers["Authorization"] = headers.pop(auth_name)
        else:
            got = params.pop("X-Amz-Signature", None)
            cred = params.get("X-Amz-Credential", "")
        access = cred.split("/")[0] if cred else None
        # keystone's _check_timestamp reads headers['X-Amz-Date'] with that spelling
        for k in list(headers):
            if k.lower() == "x-amz-date" and k != "X-Amz-Date":
                headers["X-Amz-Date"] = headers.pop(k)
    creds = {"host": host_value(request), "verb": request["method"], "path": path_of(request),
             "params": params, "headers": headers, "body_hash": body_hash(request)}
    if access:
        creds["access"] = access
    if got:
        creds["signature"] = got
    return {"credentials": creds}


# keystone's Unauthorized messages (keystone/api/ec2tokens.py,
# keystone/api/_shared/EC2_S3_Resource.py) and the reason each one gives
REASONS = (
    ("EC2 signature not supplied", "missing-parameter"),
    ("EC2 Signature not supplied", "missing-parameter"),  # no access key
    ("EC2 access key not found", "unknown-key"),
    ("Credential is expired", "expired"),
    ("Credential timestamp is invalid", "malformed"),
    ("Invalid EC2 signature", None),  # the in-process adapter claims no reason either
)


def verify(req):
    c = req["credentials"]
    body = ec2_credentials(req)
    admin().ensure(c["access_key"], c["secret_key"])
    set_clock(admin().clock_file, Clock.now)  # None (no context.time): the real clock
    # as a service calls it, with its own token (Debian's keystone refuses
    # anyone else: keystone_live.py, Launchpad bug 2119646)
    token = admin().token()[0]
    status, _, parsed, text = call("POST", BASE.rstrip("/") + "/v3/ec2tokens", body, token=token,
                                   timeout=REQUEST_TIMEOUT)
    if status == 200:
        return {"verdict": {"accept": True}}
    if status in (401, 403):
        msg = msg_of(parsed)
        v = {"accept": False, "detail": "HTTP %d: %s" % (status, (msg or text)[:300])}
        for prefix, reason in REASONS:
            if prefix in msg:
                if reason:
                    v["reason"] = reason
                break
        return {"verdict": v}
    if status == 404 and "Could not find credential" in msg_of(parsed):
        # handle_authenticate looks the access key up with get_credential,
        # which raises CredentialNotFound (404) before its own "EC2 access
        # key not found" (401) is reached (EC2_S3_Resource.py:100-102): an
        # unknown key is refused, with 404
        return {"verdict": {"accept": False, "reason": "unknown-key",
                            "detail": "HTTP 404: %s" % msg_of(parsed)[:300]}}
    if status == 500:
        # keystone lets an exception out of Ec2Signer.generate (e.g. a SigV4
        # request without X-Amz-Date: AttributeError in _calc_signature_4):
        # no token, but no decision either
        return {"error": "keystone answered HTTP 500, an unhandled exception (its log has the traceback): "
                         "no token was issued, but keystone neither accepted nor refused"}
    return {"error": "keystone answered HTTP %d: %s" % (status, text[:300])}


def msg_of(parsed):
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        return str(parsed["error"].get("message", ""))
    return ""


def answer(req):
    if req["scheme"] not in ("sigv2", "sigv4"):
        return {"unsupported": "keystone's ec2tokens verifies EC2 signatures (sigv2, sigv4) only"}
    if req["op"] != "verify":
        return {"unsupported": "a live keystone server verifies; it does not sign"}
    return verify(req)


if __name__ == "__main__":
    serve(answer)
