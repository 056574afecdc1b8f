#!/usr/bin/python3
"""sigconform adapter for boto 2 (Debian python3-boto 2.49.0).

Signs with boto.auth's own handlers on a boto.connection.HTTPRequest:
  sigv4 header:  HmacAuthV4Handler, or S3HmacAuthV4Handler when
                 context.normalize_path is false (service s3 only)
  sigv4 presign: S3HmacAuthV4Handler.presign (service s3 only)
  sigv2:         QuerySignatureV2AuthHandler / V1 / V0 (SignatureVersion 2/1/0)
The clock is pinned by replacing `datetime` inside boto.auth
(HmacAuthV4Handler.add_auth calls datetime.datetime.utcnow()) and `time`
inside boto.utils (get_ts() calls time.gmtime()) with stand-ins that return
context.time; presign gets iso_date from context.time as its argument.
Verify: unsupported (boto only signs).
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigconform_common import (Unsupported, PinnedDateTimeModule, PinnedTimeModule, Clock, serve, sign_only,
                               split_url, decoded_params, params_dict, is_form_post, headers_diff,
                               dict_headers, signs_session_token, check_own_timestamp)

import boto
import boto.auth as bauth
import boto.utils as butils
from boto.connection import HTTPRequest
from boto.provider import Provider

bauth.datetime = PinnedDateTimeModule
butils.time = PinnedTimeModule()

VERSION = boto.__version__


def provider(req):
    c = req["credentials"]
    return Provider("aws", c["access_key"], c["secret_key"], security_token=c.get("session_token") or None)


def host_port(u):
    """host (as written, without userinfo/port) and port of a urlsplit result."""
    netloc = u.netloc.rsplit("@", 1)[-1]
    host, port = netloc, None
    if netloc.startswith("["):
        end = netloc.find("]")
        host, rest = netloc[:end + 1], netloc[end + 1:]
        if rest.startswith(":"):
            port = rest[1:]
    elif ":" in netloc:
        host, port = netloc.rsplit(":", 1)
    if port:
        port = int(port)
    else:
        port = 443 if u.scheme == "https" else 80
    return host, port


def http_request(request, params, body):
    u = split_url(request["url"])
    host, port = host_port(u)
    path = u.path or "/"
    return HTTPRequest(request["method"], u.scheme, host, port, path, None, params,
                       dict_headers(request, "boto"), body)


def sign_sigv4(req):
    request, ctx = req["request"], req.get("context") or {}
    signs_session_token(req, "boto 2")
    normalize = ctx.get("normalize_path", True) is not False
    presign = int(ctx.get("presign_expires") or 0) > 0
    region, service = ctx.get("region"), ctx.get("service")
    if ctx.get("unsigned_payload") and not presign:
        raise Unsupported("boto 2 has no UNSIGNED-PAYLOAD option for header signing "
                          "(only S3HmacAuthV4Handler.presign uses it, always)")
    if presign or not normalize:
        if service != "s3":
            raise Unsupported("boto 2 signs unnormalized paths and presigns only with S3HmacAuthV4Handler, "
                              "whose determine_service_name always returns 's3' (service here: %r)" % service)
    if ctx.get("sign_body") and normalize:
        raise Unsupported("HmacAuthV4Handler never adds x-amz-content-sha256 (only S3HmacAuthV4Handler does, "
                          "which never normalizes the path)")
    u = split_url(request["url"])
    params = params_dict(decoded_params(u.query, "boto's HTTPRequest (params dict)"), "HTTPRequest.params")
    body = (request.get("body") or "").encode("utf-8")
    hreq = http_request(request, params, body)
    before = [[k, v] for k, v in hreq.headers.items()]
    prov = provider(req)
    if presign or not normalize:
        handler = bauth.S3HmacAuthV4Handler(hreq.host, boto.config, prov, service_name=service, region_name=region)
    else:
        handler = bauth.HmacAuthV4Handler(hreq.host, boto.config, prov, service_name=service, region_name=region)

    captured = {}
    orig_cr, orig_sts = handler.canonical_request, handler.string_to_sign

    def canonical_request(r):
        v = orig_cr(r)
        captured["canonical_request"] = v
        return v

    def string_to_sign(r, cr):
        v = orig_sts(r, cr)
        captured["string_to_sign"] = v
        # presign replaces the payload line of cr before calling string_to_sign
        captured["canonical_request"] = cr
        return v
    handler.canonical_request = canonical_request
    handler.string_to_sign = string_to_sign

    if presign:
        iso = Clock.utc_naive().strftime("%Y%m%dT%H%M%SZ")
        url = handler.presign(hreq, int(ctx["presign_expires"]), iso_date=iso)
        sig = hreq.params.get("X-Amz-Signature", "")
        return {"result": {"signature": sig, "url": url, "stages": captured}}
    handler.add_auth(hreq)
    auth = hreq.headers.get("Authorization", "")
    sig = auth.rsplit("Signature=", 1)[-1] if "Signature=" in auth else ""
    after = [[k, v if isinstance(v, str) else v.decode()] for k, v in hreq.headers.items()]
    url = "%s://%s%s" % (u.scheme, u.netloc, hreq.path)
    return {"result": {"signature": sig, "headers": headers_diff(before, after), "url": url,
                       "stages": captured}}


def sign_sigv2(req):
    request, ctx = req["request"], req.get("context") or {}
    version = str(ctx.get("signature_version") or "2")
    method = ctx.get("signature_method")
    if version == "2":
        cls = bauth.QuerySignatureV2AuthHandler
        if (method or "HmacSHA256") != "HmacSHA256":
            raise Unsupported("boto's QuerySignatureV2AuthHandler signs with HmacSHA256 whenever hashlib has "
                              "sha256 (HmacKeys.algorithm); no option for %s" % method)
    elif version == "1":
        cls = bauth.QuerySignatureV1AuthHandler
    elif version == "0":
        cls = bauth.QuerySignatureV0AuthHandler
    else:
        raise Unsupported("boto has no signature version %s" % version)
    u = split_url(request["url"])
    if is_form_post(request):
        if u.query:
            raise Unsupported("a form POST with a URL query: boto puts the signed params in the body only")
        params = params_dict(decoded_params(request.get("body") or "", "boto's HTTPRequest (params dict)", "form body"),
                             "HTTPRequest.params")
    else:
        if request.get("body"):
            raise Unsupported("boto's query signers sign a dict of parameters; this request has a non-form body")
        params = params_dict(decoded_params(u.query, "boto's HTTPRequest (params dict)"), "HTTPRequest.params")
    check_own_timestamp(params, "boto", "QuerySignatureHelper.add_auth: params['Timestamp'] = boto.utils.get_ts()")
    if "Signature" in params:
        # add_auth never stores the Signature in params (it appends it to
        # the path or body it rebuilds), so a retry re-signs params without
        # it; given one, boto would sign it and send two.
        raise Unsupported("the request already carries a Signature; boto keeps none in HTTPRequest.params "
                          "(QuerySignatureHelper.add_auth appends it to the rebuilt path or body), so this is "
                          "not a request boto makes, retried or not")
    hreq = http_request(request, params, "")
    hreq.path = u.path or "/"
    handler = cls(hreq.host, boto.config, provider(req))
    try:
        handler.add_auth(hreq)
    except AttributeError as e:
        if version == "0":
            raise Unsupported("boto %s QuerySignatureV0AuthHandler fails on Python 3: %s "
                              "(_calc_signature calls keys.sort(cmp=...) on dict keys)" % (VERSION, e))
        raise
    if hreq.method == "POST":
        # add_auth sends every parameter, Signature included, in the body
        # and the bare path as the URL; a result has no field for a body,
        # so no url is reported.
        body = hreq.body
        sig = dict(urllib.parse.parse_qsl(body, keep_blank_values=True)).get("Signature", "")
        return {"result": {"signature": sig}}
    url = "%s://%s%s" % (u.scheme, u.netloc, hreq.path)
    sig = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query,
                                      keep_blank_values=True)).get("Signature", "")
    return {"result": {"signature": sig, "url": url}}


answer = sign_only("boto", VERSION, {"sigv4": sign_sigv4, "sigv2": sign_sigv2})


if __name__ == "__main__":
    serve(answer)
