#!/usr/bin/python3
"""sigconform adapter for botocore (Debian python3-botocore 1.29.27).

Signs with botocore.auth's own signers:
  sigv4 header:   SigV4Auth, or S3SigV4Auth when context.normalize_path is false
  sigv4 presign:  SigV4QueryAuth, or S3SigV4QueryAuth when normalize_path is false
  sigv2:          SigV2Auth (version 2, HmacSHA256 only)
The clock is pinned by replacing the `datetime` and `time` names inside
botocore.auth with stand-ins whose utcnow()/gmtime() return context.time.
Stages (sigv4) come from the signer's canonical_request()/string_to_sign().
Verify: unsupported (botocore only signs).
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigconform_common import (Unsupported, PinnedDateTimeModule, PinnedTimeModule, serve, sign_only,
                               split_url, decoded_params, params_dict, is_form_post,
                               headers_diff, signs_session_token, check_own_timestamp)

import botocore
import botocore.auth as bauth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

# Pin the clock below the entry points: botocore.auth calls
# datetime.datetime.utcnow() (SigV4Auth.add_auth) and time.gmtime() (SigV2Auth.add_auth).
bauth.datetime = PinnedDateTimeModule
bauth.time = PinnedTimeModule()

VERSION = botocore.__version__


def creds(req):
    c = req["credentials"]
    return Credentials(c["access_key"], c["secret_key"], c.get("session_token") or None)


def make_headers(request):
    h = HTTPHeaders()
    for k, v in request.get("headers") or []:
        h[k] = v  # HTTPMessage.__setitem__ appends: repeats are kept
    return h


def body_bytes(request):
    b = request.get("body")
    return b.encode("utf-8") if b else b""


def sign_sigv4(req):
    request, ctx = req["request"], req.get("context") or {}
    signs_session_token(req, "botocore")
    normalize = ctx.get("normalize_path", True) is not False
    presign = int(ctx.get("presign_expires") or 0) > 0
    region, service = ctx.get("region"), ctx.get("service")
    if not region or not service:
        raise Unsupported("context.region and context.service are required")
    if ctx.get("sign_body") and (normalize or presign):
        raise Unsupported("botocore adds a signed X-Amz-Content-SHA256 only in S3SigV4Auth (header signing), "
                          "which never normalizes the path; no signer does it with normalize_path true or when presigning")
    if presign and not normalize and not ctx.get("unsigned_payload"):
        raise Unsupported("normalize_path false when presigning: botocore's only unnormalized presigner, "
                          "S3SigV4QueryAuth, always signs UNSIGNED-PAYLOAD; the case hashes the payload")
    c = creds(req)
    if presign:
        cls = bauth.SigV4QueryAuth if normalize else bauth.S3SigV4QueryAuth
        signer = cls(c, service, region, expires=int(ctx["presign_expires"]))
    else:
        cls = bauth.SigV4Auth if normalize else bauth.S3SigV4Auth
        signer = cls(c, service, region)

    areq = AWSRequest(method=request["method"], url=request["url"], data=body_bytes(request))
    areq.headers = make_headers(request)
    before = [[k, v] for k, v in areq.headers.items()]
    if ctx.get("unsigned_payload"):
        # botocore's switch for UNSIGNED-PAYLOAD: request.context payload_signing_enabled
        # (SigV4Auth/SigV4QueryAuth) or the client's s3 config (S3SigV4Auth);
        # S3SigV4QueryAuth always uses UNSIGNED-PAYLOAD.
        areq.context["payload_signing_enabled"] = False

        class _S3Config:
            s3 = {"payload_signing_enabled": False}
        areq.context["client_config"] = _S3Config()

    captured = {}
    orig_cr, orig_sts = signer.canonical_request, signer.string_to_sign

    def canonical_request(r):
        v = orig_cr(r)
        captured["canonical_request"] = v
        return v

    def string_to_sign(r, cr):
        v = orig_sts(r, cr)
        captured["string_to_sign"] = v
        return v
    # wrap (not replace) the signer's own methods to see what add_auth computed
    signer.canonical_request = canonical_request
    signer.string_to_sign = string_to_sign
    signer.add_auth(areq)

    result = {"stages": captured}
    if presign:
        url = areq.url
        q = urllib.parse.urlsplit(url).query
        sig = dict(urllib.parse.parse_qsl(q)).get("X-Amz-Signature", "")
        result["signature"] = sig
        result["url"] = url
        result["headers"] = headers_diff(before, [[k, v] for k, v in areq.headers.items()])
    else:
        auth = areq.headers.get("Authorization", "")
        result["signature"] = auth.rsplit("Signature=", 1)[-1] if "Signature=" in auth else ""
        result["headers"] = headers_diff(before, [[k, v] for k, v in areq.headers.items()])
        result["url"] = areq.prepare().url
    return {"result": result}


def sign_sigv2(req):
    request, ctx = req["request"], req.get("context") or {}
    version = str(ctx.get("signature_version") or "2")
    if version != "2":
        raise Unsupported("botocore SigV2Auth signs version 2 only, not %s" % version)
    method = ctx.get("signature_method") or "HmacSHA256"
    if method != "HmacSHA256":
        raise Unsupported("botocore SigV2Auth always signs with HmacSHA256 (no option for %s)" % method)
    u = split_url(request["url"])
    base = urllib.parse.urlunsplit((u.scheme, u.netloc, u.path, "", ""))
    areq = AWSRequest(method=request["method"], url=base)
    areq.headers = make_headers(request)
    if is_form_post(request):
        if u.query:
            raise Unsupported("a form POST with a URL query: SigV2Auth signs request.data only")
        # botocore's query serializer hands SigV2Auth a dict in request.data
        areq.data = params_dict(decoded_params(request.get("body") or "", "botocore's SigV2Auth (request.data dict)",
                                               "form body"), "request.data")
        if not areq.data:
            raise Unsupported("empty form body: SigV2Auth would sign request.params instead")
    else:
        if request.get("body"):
            raise Unsupported("SigV2Auth signs a dict of parameters; this request has a non-form body")
        areq.params = params_dict(decoded_params(u.query, "botocore's SigV2Auth (request.params dict)"), "request.params")
        if not areq.params:
            # SigV2Auth adds the auth params to request.params (an empty dict is fine)
            areq.params = {}
    check_own_timestamp(areq.data if isinstance(areq.data, dict) and areq.data else areq.params, "botocore",
                        "SigV2Auth.add_auth: params['Timestamp'] = time.strftime(ISO8601, time.gmtime())")
    signer = bauth.SigV2Auth(creds(req))
    captured = {}
    orig = signer.calc_signature

    def calc_signature(r, params):
        qs, b64 = orig(r, params)
        captured["qs"] = qs
        return qs, b64
    signer.calc_signature = calc_signature
    signer.add_auth(areq)
    params = areq.data if isinstance(areq.data, dict) and areq.data else areq.params
    sig = params["Signature"]
    prepared = areq.prepare()
    result = {"signature": sig, "url": prepared.url}
    # the string to sign is not exposed (local in calc_signature); it is
    # method \n netloc \n path \n qs, with qs returned by calc_signature: not reported.
    return {"result": result}


answer = sign_only("botocore", VERSION, {"sigv4": sign_sigv4, "sigv2": sign_sigv2})


if __name__ == "__main__":
    serve(answer)
