#!/usr/bin/python3
"""sigconform adapter for Apache Libcloud (Debian python3-libcloud 3.4.1).

cloudstack: libcloud.common.cloudstack.CloudStackConnection._make_signature
            over the request's parameters plus apiKey (what add_default_params
            sets; its response=json is left out: it is a request parameter, not
            a signing rule).
sigv2:      libcloud.common.aws.AWSRequestSignerAlgorithmV2.get_request_params
            of a SignedAWSConnection(signature_version='2').
sigv4:      AWSRequestSignerAlgorithmV4.get_request_headers of a
            SignedAWSConnection(signature_version='4'), headers as
            Connection.request hands them (Host added as host[:port]).
The clock is pinned by replacing `datetime` (V4: datetime.utcnow()) and
`time` (V2: time.gmtime()) inside libcloud.common.aws.
No network: the connection objects are built but never connect.
Verify: unsupported (libcloud only signs).
"""

import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigconform_common import (Unsupported, PinnedDateTime, PinnedTimeModule, serve, sign_only, header,
                               split_url, decoded_params, params_dict, is_form_post, headers_diff,
                               dict_headers, signs_session_token, check_own_timestamp)

import libcloud
import libcloud.common.aws as laws
from libcloud.common.cloudstack import CloudStackConnection

laws.datetime = PinnedDateTime
laws.time = PinnedTimeModule()
VERSION = libcloud.__version__


def host_port(u):
    netloc = u.netloc.rsplit("@", 1)[-1]
    host, port = netloc, None
    if ":" in netloc and not netloc.endswith("]"):
        host, port = netloc.rsplit(":", 1)
    secure = u.scheme.lower() == "https"
    return host, int(port) if port else (443 if secure else 80), secure


def own_host_header(request, host, port):
    """The Host header libcloud sends: Connection.request (libcloud/common/
    base.py:588-593) always sets headers['Host'] to host, or host:port for a
    port other than 80/443, over whatever the caller passed. A request whose
    own Host header differs is not one libcloud can send; the signature would
    be of libcloud's Host, and the case's question (which Host is signed)
    would be answered by the adapter's choice of the URL over the header."""
    own = host if port in (80, 443) else "%s:%d" % (host, port)
    for k, v in request.get("headers") or []:
        if k.strip().lower() == "host" and (k != "Host" or v != own):
            raise Unsupported("the request carries %s: %s; libcloud's Connection.request always replaces the Host "
                              "header with its own (%s, from the connection's host and port)" % (k, v, own))
    return own


# ------------------------------------------------------------- cloudstack

def sign_cloudstack(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    u = split_url(request["url"])
    if request["method"].upper() == "POST" and is_form_post(request):
        if u.query:
            raise Unsupported("libcloud signs one parameter dict (query or form body), not both")
        pairs = decoded_params(request.get("body") or "", "libcloud (params dict)", "form body")
    else:
        pairs = decoded_params(u.query, "libcloud (params dict)")
    params = params_dict(pairs, "params")
    version = str(ctx.get("signature_version") or "")
    if version == "3":
        if not ctx.get("expires") and "expires" not in {k.lower() for k in params}:
            raise Unsupported("libcloud never adds expires; the case gives none")
        if ctx.get("expires"):
            params.setdefault("signatureVersion", "3")
            params.setdefault("expires", ctx["expires"])
    elif version:
        raise Unsupported("signatureVersion %s" % version)
    for k, v in params.items():
        if k.lower() == "apikey" and (k != "apiKey" or v != c["access_key"]):
            # add_default_params sets params['apiKey'] = user_id whatever
            # the request holds: an apikey under another spelling (or
            # value) would be sent besides libcloud's own apiKey.
            raise Unsupported("the request carries %s=%s; libcloud always sets its own apiKey parameter "
                              "(CloudStackConnection.add_default_params), so it would send both" % (k, v))
    host, port, secure = host_port(u)
    conn = CloudStackConnection(user_id=c["access_key"], key=c["secret_key"], secure=secure, host=host, port=port)
    params["apiKey"] = conn.user_id  # as CloudStackConnection.add_default_params
    sig = conn._make_signature(params)
    return {"result": {"signature": sig.decode("utf-8") if isinstance(sig, bytes) else sig}}


# ------------------------------------------------------------- sigv2

def sign_sigv2(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    version = str(ctx.get("signature_version") or "2")
    if version != "2":
        raise Unsupported("libcloud signs AWS signature version 2 and 4 only, not %s" % version)
    if (ctx.get("signature_method") or "HmacSHA256") != "HmacSHA256":
        raise Unsupported("AWSRequestSignerAlgorithmV2 always uses HmacSHA256")
    u = split_url(request["url"])
    if is_form_post(request):
        if u.query:
            raise Unsupported("a form POST with a URL query")
        params = params_dict(decoded_params(request.get("body") or "", "libcloud (params dict)", "form body"), "params")
    else:
        params = params_dict(decoded_params(u.query, "libcloud (params dict)"), "params")
    if "Version" not in params:
        raise Unsupported("AWSRequestSignerAlgorithmV2 always sets Version to the connection's API version; "
                          "the request has no Version to take it from")
    check_own_timestamp(params, "libcloud", "AWSRequestSignerAlgorithmV2.get_request_params: "
                        "params['Timestamp'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())")
    if "Signature" in params:
        # Connection.request signs a copy of the driver's params and a retry
        # resends the signed request; a Signature only reaches the signer
        # if the caller passes one (it would be signed and replaced).
        raise Unsupported("the request already carries a Signature; libcloud signs a fresh copy of the driver's "
                          "params (Connection.request: params = copy.copy(params)) and retries resend the signed "
                          "request, so this is not a request libcloud makes")
    host, port, secure = host_port(u)
    own_host_header(request, host, port)
    conn = laws.SignedAWSConnection(c["access_key"], c["secret_key"], secure=secure, host=host, port=port,
                                    token=c.get("session_token") or None, signature_version="2")
    conn.signer.version = params["Version"]
    out = conn.signer.get_request_params(params=params, method=request["method"].upper(), path=u.path or "/")
    return {"result": {"signature": out["Signature"]}}


# ------------------------------------------------------------- sigv4

def sign_sigv4(req):
    request, ctx = req["request"], req.get("context") or {}
    c = req["credentials"]
    signs_session_token(req, "libcloud's AWSRequestSignerAlgorithmV4")
    if int(ctx.get("presign_expires") or 0) > 0:
        raise Unsupported("libcloud's AWSRequestSignerAlgorithmV4 signs the Authorization header only (no presigning)")
    u = split_url(request["url"])
    for name, own in (("X-Amz-Date", "X-AMZ-Date"), ("X-Amz-Content-Sha256", "X-AMZ-Content-SHA256")):
        for k, _ in request.get("headers") or []:
            if k.lower() == name.lower() and k != own:
                # get_request_headers (libcloud/common/aws.py:271-281) always
                # sets its own headers[own] in a case-sensitive dict: the
                # request would carry (and sign) the header twice.
                raise Unsupported("the request carries %s; libcloud always writes its own %s "
                                  "(AWSRequestSignerAlgorithmV4.get_request_headers), so it would send and sign "
                                  "both" % (k, own))
    host, port, secure = host_port(u)
    conn = laws.SignedAWSConnection(c["access_key"], c["secret_key"], secure=secure, host=host, port=port,
                                    token=c.get("session_token") or None, signature_version="4")
    conn.driver = types.SimpleNamespace(region_name=ctx.get("region"))
    conn.service_name = ctx.get("service")
    headers = dict_headers(request, "libcloud")
    before = [[k, v] for k, v in headers.items()]
    headers = conn.add_default_headers(headers)  # AWSTokenConnection: x-amz-security-token
    # Connection.request: Host is host, or host:port for a port other than 80/443
    headers["Host"] = own_host_header(request, host, port)
    params = params_dict(decoded_params(u.query, "libcloud (params dict)"), "params")
    data = request.get("body") or None
    if ctx.get("unsigned_payload"):
        data = laws.UnsignedPayloadSentinel
    signer = conn.signer
    captured = {}
    orig_cr, orig_sts = signer._get_canonical_request, signer._get_string_to_sign

    def cr(**kw):
        v = orig_cr(**kw)
        captured["canonical_request"] = v
        return v

    def sts(**kw):
        v = orig_sts(**kw)
        captured["string_to_sign"] = v
        return v
    signer._get_canonical_request = cr
    signer._get_string_to_sign = sts
    _, headers = signer.get_request_headers(params=params, headers=headers, method=request["method"].upper(),
                                            path=u.path, data=data)
    auth = headers["Authorization"]
    sig = auth.rsplit("Signature=", 1)[-1]
    after = [[k, v] for k, v in headers.items() if not (k == "Host" and header(request, "Host") is None)]
    return {"result": {"signature": sig, "headers": headers_diff(before, after), "stages": captured}}


answer = sign_only("libcloud", VERSION, {"cloudstack": sign_cloudstack, "sigv2": sign_sigv2, "sigv4": sign_sigv4})


if __name__ == "__main__":
    serve(answer)
