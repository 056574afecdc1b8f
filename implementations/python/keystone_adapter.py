#!/usr/bin/python3
"""sigconform adapter for python-keystoneclient's Ec2Signer
(Debian python3-keystoneclient 1:5.0.1, keystoneclient.contrib.ec2.utils).

Ec2Signer.generate(credentials) is the only signing code; it computes a
signature from a credentials dict {access, host, verb, path, params, headers,
body_hash}. It never reads the clock.

sign:   the adapter plays the client: it adds the auth parameters
        (AWSAccessKeyId, SignatureVersion, Timestamp from context.time,
        SecurityToken) for sigv2, or the X-Amz-Date / X-Amz-Security-Token /
        X-Amz-Content-Sha256 headers and an Authorization header skeleton
        (Credential, SignedHeaders) or X-Amz-* query parameters for sigv4,
        hands that to generate() and reports the signature it returns.
verify: as keystone's /v3/ec2tokens does: recompute with a fresh Ec2Signer
        over the request as received, compare, and on mismatch retry once with
        the port stripped from the host (keystone/api/ec2tokens.py
        _check_signature), then keystone's _check_timestamp
        (keystone/api/_shared/EC2_S3_Resource.py): a Timestamp / X-Amz-Date
        more than 15 minutes (auth_ttl) before context.time is expired.
"""

import datetime
import hashlib
import hmac
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigconform_common import (Unsupported, Clock, serve, header, split_url, parse_params,
                               decoded_params, dict_headers,
                               params_dict, is_form_post)

from keystoneclient.contrib.ec2.utils import Ec2Signer

VERSION = "5.0.1"
NEVER_SIGNED = ("authorization", "expect", "user-agent", "x-amzn-trace-id")


def url_host(request):
    """The URL's host[:port] as written (userinfo dropped), and the scheme's
    default port (':443', ':80') when it spells that out, else None."""
    u = split_url(request["url"])
    netloc = u.netloc.rsplit("@", 1)[-1]
    for scheme, port in (("https", ":443"), ("http", ":80")):
        if u.scheme.lower() == scheme and netloc.endswith(port):
            return netloc, port
    return netloc, None


def host_value(request):
    """The Host header as sent: the request's own, else what an HTTP client
    derives from the URL (userinfo and a default port dropped)."""
    h = header(request, "Host")
    if h is not None:
        return h.strip()
    netloc, port = url_host(request)
    return netloc[:-len(port)] if port else netloc


def sign_host(request):
    """credentials['host'] when the adapter plays the client. Ec2Signer signs
    the host string its caller hands it, as given: keystone's callers pass
    the Host header the EC2 API received (keystonemiddleware ec2_token:
    'host': req.host). With a Host header that is the header. Without one,
    a URL that spells out the scheme's default port leaves it to the client
    whether ':443' reaches the Host header (HTTP clients differ), which is
    what the default-port cases ask: the adapter does not answer for it."""
    h = header(request, "Host")
    if h is not None:
        return h.strip()
    netloc, port = url_host(request)
    if port:
        raise Unsupported("Ec2Signer signs credentials['host'] exactly as its caller gives it; whether the "
                          "default port the URL spells out (%s) is kept is left to the client that wrote the "
                          "Host header, and the request has no Host header to take it from" % port)
    return netloc


def request_params(request, sign=False):
    u = split_url(request["url"])
    if is_form_post(request):
        if u.query:
            raise Unsupported("a form POST with a URL query: keystone's callers pass one parameter dict")
        raw, where = request.get("body") or "", "form body"
    else:
        raw, where = u.query, "query"
    # A server decodes what it receives (verify); playing the client
    # (sign), the adapter would decide what a non-canonical query means.
    pairs = decoded_params(raw, "Ec2Signer (credentials['params'] dict)", where) if sign else parse_params(raw)
    return params_dict(pairs, "credentials['params']")


def received(req):
    """The request as an HTTP server hands it on, and its headers as
    Ec2Signer's dict: values without surrounding whitespace (RFC 7230 OWS),
    and a Host header, which every HTTP/1.1 request carries."""
    request = dict(req["request"])
    request["headers"] = [[k, v.strip(" \t")] for k, v in request.get("headers") or []]
    headers = dict_headers(request, "Ec2Signer")
    if not any(k.lower() == "host" for k in headers):
        headers["Host"] = host_value(request)
    return request, headers


def sigv2_signed(request):
    """A SigV2 request's parameters with its Signature taken out, that
    signature, and the access key."""
    params = request_params(request)
    return params, params.pop("Signature", None), params.get("AWSAccessKeyId")


def query_params(request):
    return params_dict(parse_params(split_url(request["url"]).query), "credentials['params']")


def body_hash(request):
    return hashlib.sha256((request.get("body") or "").encode("utf-8")).hexdigest()


def path_of(request):
    return split_url(request["url"]).path or "/"


# ------------------------------------------------------------------ sign

def client_choice(what):
    """Unsupported for a sign case whose question the adapter, not
    Ec2Signer, would answer. Ec2Signer.generate only canonicalizes and signs
    the pieces its caller hands it (host, params, headers, the
    Authorization header's SignedHeaders, body_hash); when signing, the
    adapter plays the client that chooses them."""
    return Unsupported("Ec2Signer signs what its caller hands it; the adapter plays the client, and %s is the "
                       "client's choice, which is what this case asks" % what)


def sign_sigv2(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    version = str(ctx.get("signature_version") or "2")
    if version not in ("0", "1", "2"):
        raise Unsupported("Ec2Signer has no signature version %s" % version)
    params = request_params(request, sign=True)
    own = {"AWSAccessKeyId": c["access_key"], "SignatureVersion": version}
    if version == "2":
        own["SignatureMethod"] = "HmacSHA256"
    if "Signature" in params:
        raise client_choice("what becomes of the Signature the request already carries")
    for k, v in own.items():
        if k in params and params[k] != v:
            raise client_choice("replacing the request's %s=%s" % (k, params[k]))
    if c.get("session_token"):
        raise client_choice("whether the session token is sent (as SecurityToken) and signed")
    if "Expires" in params:
        raise client_choice("whether a Timestamp is added beside the request's Expires")
    params["AWSAccessKeyId"] = c["access_key"]
    params["SignatureVersion"] = version
    if version == "2":
        # Ec2Signer._calc_signature_2 overwrites SignatureMethod with
        # HmacSHA256 whenever hashlib has sha256 (utils.py:148-156): it
        # cannot sign HmacSHA1.
        if (ctx.get("signature_method") or "HmacSHA256") != "HmacSHA256":
            raise Unsupported("Ec2Signer signs version 2 with HmacSHA256 only: _calc_signature_2 sets "
                              "params['SignatureMethod'] = 'HmacSHA256' whenever hashlib.sha256 exists")
        params["SignatureMethod"] = "HmacSHA256"
    if c.get("session_token"):
        params["SecurityToken"] = c["session_token"]
    if "Timestamp" not in params and "Expires" not in params:
        params["Timestamp"] = Clock.utc_naive().strftime("%Y-%m-%dT%H:%M:%SZ")
    creds = {"access": c["access_key"], "host": sign_host(request), "verb": request["method"],
             "path": path_of(request), "params": params, "headers": dict_headers(request, "Ec2Signer"),
             "body_hash": body_hash(request)}
    sig = Ec2Signer(c["secret_key"]).generate(creds)
    return {"result": {"signature": sig}}


def sign_sigv4(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    if ctx.get("omit_session_token") and c.get("session_token"):
        raise Unsupported("omit_session_token: the adapter signs the session token as the X-Amz-Security-Token header a "
                          "keystone caller would pass to Ec2Signer; it has no way to send it unsigned")
    region, service = ctx.get("region"), ctx.get("service")
    if ctx.get("normalize_path", True) is not False:
        pass  # Ec2Signer never normalizes nor encodes the path: it signs credentials['path'] as given
    presign = int(ctx.get("presign_expires") or 0) > 0
    headers = dict_headers(request, "Ec2Signer")
    lower = {k.lower(): k for k in headers}
    if c.get("session_token"):
        raise client_choice("where the session token goes (X-Amz-Security-Token header or parameter) and whether it is signed")
    for name in NEVER_SIGNED:
        if name in lower:
            raise client_choice("leaving the request's %s out of SignedHeaders (or replacing it)" % lower[name])
    if "x-amz-date" in lower:
        raise client_choice("what becomes of the request's own X-Amz-Date (used as the signing time, or left unsigned "
                            "when presigning)")
    if "x-amz-content-sha256" not in lower and ctx.get("unsigned_payload"):
        raise client_choice("signing UNSIGNED-PAYLOAD as body_hash")
    if "x-amz-content-sha256" not in lower and ctx.get("sign_body") and not presign:
        raise client_choice("adding a signed X-Amz-Content-Sha256 header")
    if "host" not in lower:
        headers["Host"] = sign_host(request)
    amz_date = headers.get(lower.get("x-amz-date", ""), None) if not presign else None
    if amz_date is None:
        amz_date = Clock.utc_naive().strftime("%Y%m%dT%H%M%SZ")
    added = []
    if not presign and "x-amz-date" not in lower:
        headers["X-Amz-Date"] = amz_date
        added.append(["X-Amz-Date", amz_date])
    if c.get("session_token") and not presign and "x-amz-security-token" not in lower:
        headers["X-Amz-Security-Token"] = c["session_token"]
        added.append(["X-Amz-Security-Token", c["session_token"]])
    if "x-amz-content-sha256" in lower:
        bh = headers[lower["x-amz-content-sha256"]].strip()
    elif ctx.get("unsigned_payload"):
        bh = "UNSIGNED-PAYLOAD"
    else:
        bh = body_hash(request)
    if ctx.get("sign_body") and not presign and "x-amz-content-sha256" not in lower:
        headers["X-Amz-Content-Sha256"] = bh
        added.append(["X-Amz-Content-Sha256", bh])
    names = sorted({k.strip().lower() for k in headers} - set(NEVER_SIGNED)
                   - ({"x-amz-date", "x-amz-security-token"} if presign else set()))
    signed = ";".join(names)
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    params = params_dict(decoded_params(split_url(request["url"]).query, "Ec2Signer (credentials['params'] dict)"),
                         "credentials['params']")
    if presign:
        params.update({"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
                       "X-Amz-Credential": "%s/%s" % (c["access_key"], scope),
                       "X-Amz-Date": amz_date, "X-Amz-Expires": str(ctx["presign_expires"]),
                       "X-Amz-SignedHeaders": signed})
        if c.get("session_token"):
            params["X-Amz-Security-Token"] = c["session_token"]
        headers.pop(lower.get("authorization", "Authorization"), None)
    else:
        headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=" % (
            c["access_key"], scope, signed)
    creds = {"access": c["access_key"], "host": headers.get("Host") or headers.get(lower.get("host")),
             "verb": request["method"], "path": path_of(request), "params": params,
             "headers": headers, "body_hash": bh}
    sig = Ec2Signer(c["secret_key"]).generate(creds)
    result = {"signature": sig}
    if not presign:
        added.append(["Authorization", headers["Authorization"] + sig])
        result["headers"] = added
    return {"result": result}


# ------------------------------------------------------------------ verify

def reject(reason=None, detail=None):
    v = {"accept": False}
    if reason:
        v["reason"] = reason
    if detail:
        v["detail"] = detail
    return {"verdict": v}


def keystone_check(secret, creds, got):
    """keystone/api/ec2tokens.py _check_signature: generate, compare, retry without port."""
    sig = Ec2Signer(secret).generate(dict(creds))
    if hmac.compare_digest(sig.encode(), got.encode()):
        return True
    if ":" in creds["host"]:
        c2 = dict(creds)
        c2["host"] = creds["host"].split(":")[0]
        sig = Ec2Signer(secret).generate(c2)
        return hmac.compare_digest(sig.encode(), got.encode())
    return False


def check_timestamp(params, headers):
    """keystone/api/_shared/EC2_S3_Resource.py ResourceBase._check_timestamp,
    which handle_authenticate calls after _check_signature: the Timestamp
    parameter (v1/v2) or X-Amz-Date (header, then parameter; v4), if any,
    must not be more than [credential] auth_ttl (15 minutes by default) in
    the past; a future one passes and Expires is not read. The verifier's
    clock is context.time."""
    ts = params.get("Timestamp") or headers.get("X-Amz-Date") or params.get("X-Amz-Date")
    if not ts:
        # "If the signed payload doesn't include a timestamp then the
        # signer must have intentionally left it off"
        return {"verdict": {"accept": True}}
    try:
        t = parse_isotime(ts)
    except ValueError as e:
        return reject("malformed", "Credential timestamp is invalid: %s" % e)
    if Clock.utc_naive() > t + datetime.timedelta(minutes=15):
        return reject("expired", "Credential is expired")
    return {"verdict": {"accept": True}}


def parse_isotime(s):
    """oslo_utils.timeutils.parse_isotime (iso8601.parse_date, a zone-less
    time read as UTC) followed by normalize_time: a naive UTC datetime."""
    v = s.strip()
    basic = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z?", v)  # X-Amz-Date's basic form
    if basic:
        return datetime.datetime(*map(int, basic.groups()))
    if v[-1:] in ("Z", "z"):
        v = v[:-1] + "+00:00"
    t = datetime.datetime.fromisoformat(v)
    if t.tzinfo is not None:
        t = t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return t


def verify(req):
    c = req["credentials"]
    request, headers = received(req)
    if req["scheme"] == "sigv2":
        params, got, access = sigv2_signed(request)
    else:
        params = query_params(request)
        auth = headers.get(next((k for k in headers if k.lower() == "authorization"), ""), None)
        if auth is not None:
            got = auth.partition("Signature=")[2].split(",")[0].strip() if "Signature=" in auth else None
            cred = auth.partition("Credential=")[2].split(",")[0]
            # Ec2Signer reads headers['Authorization'] with that exact spelling
            if "Authorization" not in headers:
                headers["Authorization"] = auth
        else:
            got = params.pop("X-Amz-Signature", None)
            cred = params.get("X-Amz-Credential", "")
        access = cred.split("/")[0] if cred else None
        if "X-Amz-Date" not in headers:
            for k in list(headers):
                if k.lower() == "x-amz-date":
                    headers["X-Amz-Date"] = headers[k]
    if not got:
        return reject("missing-parameter", "no signature in the request")
    if not access:
        return reject("missing-parameter", "no access key in the request")
    if access != c["access_key"]:
        return reject("unknown-key", "access key %r is not the one the verifier knows" % access)
    creds = {"access": access, "host": host_value(request), "verb": request["method"],
             "path": path_of(request), "params": params, "headers": headers,
             "body_hash": body_hash(request)}
    try:
        ok = keystone_check(c["secret_key"], creds, got)
    except Exception as e:  # Ec2Signer raises for what it cannot read
        return reject(None, "Ec2Signer.generate raised %s: %s" % (type(e).__name__, e))
    if ok:
        return check_timestamp(params, headers)
    # keystone answers every mismatch with the same Unauthorized: no reason is claimed
    return reject(None, "signature does not match Ec2Signer.generate (nor without the port)")


def answer(req):
    if req["scheme"] not in ("sigv2", "sigv4"):
        return {"unsupported": "Ec2Signer implements EC2 signatures (sigv2 versions 0-2, sigv4) only"}
    if req["op"] == "verify":
        return verify(req)
    return sign_sigv2(req) if req["scheme"] == "sigv2" else sign_sigv4(req)


if __name__ == "__main__":
    serve(answer)
