"""Shared plumbing for the sigconform Python adapters (stdlib only).

The protocol loop (docs/protocol.md), request helpers and clock pinning.
Nothing here signs: each adapter calls its library's own signing code.
"""

import datetime as _dt
import json
import sys
import time as _time
import traceback
import urllib.parse

PROTOCOL = "sigconform-adapter/v1"


class Unsupported(Exception):
    """The library cannot express this case."""


# ---------------------------------------------------------------- clock

class Clock:
    """The pinned clock: set per request from context.time."""
    now = None  # aware datetime (UTC) or None

    @classmethod
    def set(cls, rfc3339):
        if not rfc3339:
            cls.now = None
            return
        cls.now = parse_rfc3339(rfc3339)

    @classmethod
    def utc_naive(cls):
        if cls.now is None:
            raise Unsupported("the library reads the clock and the case has no context.time to pin it to")
        return cls.now.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def parse_rfc3339(s):
    s = s.strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    return _dt.datetime.fromisoformat(s)


class PinnedDateTime(_dt.datetime):
    """datetime.datetime whose utcnow()/now() read the pinned clock."""

    @classmethod
    def utcnow(cls):
        n = Clock.utc_naive()
        return cls(n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond)

    @classmethod
    def now(cls, tz=None):
        n = Clock.utc_naive()
        v = cls(n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond)
        if tz is not None:
            v = v.replace(tzinfo=_dt.timezone.utc).astimezone(tz)
        return v


class PinnedDateTimeModule:
    """Stands in for the `datetime` module inside a library module."""
    datetime = PinnedDateTime
    timedelta = _dt.timedelta
    timezone = _dt.timezone
    date = _dt.date
    MINYEAR = _dt.MINYEAR
    MAXYEAR = _dt.MAXYEAR


class PinnedTimeModule:
    """Stands in for the `time` module inside a library module: time(),
    gmtime() and localtime() without argument read the pinned clock."""

    def __getattr__(self, name):
        return getattr(_time, name)

    @staticmethod
    def time():
        return Clock.utc_naive().replace(tzinfo=_dt.timezone.utc).timestamp()

    @staticmethod
    def gmtime(secs=None):
        if secs is None:
            secs = PinnedTimeModule.time()
        return _time.gmtime(secs)


# ---------------------------------------------------------------- request helpers

def header(request, name):
    for k, v in request.get("headers") or []:
        if k.strip().lower() == name.lower():
            return v
    return None


def has_repeated_headers(request):
    seen = set()
    for k, _ in request.get("headers") or []:
        n = k.strip().lower()
        if n in seen:
            return n
        seen.add(n)
    return None


def split_url(url):
    """scheme, netloc, path (raw), query (raw), fragment of a raw URL."""
    return urllib.parse.urlsplit(url)


def parse_params(raw):
    """Form-decode a raw query/body ('+' is a space) into ordered pairs."""
    return urllib.parse.parse_qsl(raw, keep_blank_values=True)


# RFC 3986 unreserved characters: the only ones a canonical query leaves as
# they are.
_UNRESERVED = "-_.~"


def decoding_choice(raw):
    """Why decoding the raw query (or form body) `raw` into name/value pairs
    would be a choice of the adapter's, or None when it is not.

    A library that takes decoded parameters (a dict) is never given the raw
    query; the adapter decodes it. That is only neutral when the decoding
    loses nothing: every name and value written in the canonical encoding
    (RFC 3986 unreserved bytes as they are, every other byte as %XX with
    upper-case hex, UTF-8), every pair with '=', no empty pair. Then the
    pairs determine the query exactly. Otherwise (a raw '*', '+', a
    lower-case or needless escape, a name without '=', '&&', bytes that are
    not UTF-8) the case is about that written form, and the adapter's
    decoder, not the library, would decide what it means."""
    if raw == "":
        return None
    for tok in raw.split("&"):
        if tok == "":
            return "an empty pair ('&&' or a trailing '&')"
        if "=" not in tok:
            return "the name %r without '='" % tok
        for part in tok.split("=", 1):
            try:
                dec = urllib.parse.unquote(part, errors="strict")
            except UnicodeDecodeError:
                return "%r, whose escapes are not UTF-8" % part
            if urllib.parse.quote(dec, safe=_UNRESERVED) != part:
                return "%r, not in the canonical encoding (%r)" % (part, urllib.parse.quote(dec, safe=_UNRESERVED))
    return None


def decoded_params(raw, library, where="query"):
    """parse_params(raw) for a library that takes decoded parameters, or
    Unsupported when the decoding would decide the case (decoding_choice)."""
    why = decoding_choice(raw)
    if why:
        raise Unsupported("%s takes decoded parameters, so the adapter would decode the %s; it holds %s, and "
                          "what that means is the case's question, which the library never sees"
                          % (library, where, why))
    return parse_params(raw)


def params_dict(pairs, what):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Unsupported("parameter %r given more than once: the library takes %s as a dict" % (k, what))
        d[k] = v
    return d


def is_form_post(request):
    if request["method"].upper() != "POST":
        return False
    ct = header(request, "Content-Type")
    if ct is None:
        return bool(request.get("body"))
    return ct.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


def dict_headers(request, library):
    """The request's headers as the dict `library` takes, or Unsupported when
    a header is repeated (a dict holds one value a name)."""
    rep = has_repeated_headers(request)
    if rep:
        raise Unsupported("header %r repeated: %s takes headers as a dict" % (rep, library))
    return {k: v for k, v in request.get("headers") or []}


def headers_diff(before, after):
    """[name, value] pairs of `after` that `before` lacks or had otherwise."""
    b = {}
    for k, v in before:
        b.setdefault(k.lower(), []).append(v)
    out = []
    for k, v in after:
        if v not in b.get(k.lower(), []):
            out.append([k, v])
    return out


# ---------------------------------------------------------------- what a signer cannot do

def signs_session_token(req, library):
    """Unsupported for a case that sends the session token unsigned
    (context.omit_session_token) to a library that always signs it."""
    if (req.get("context") or {}).get("omit_session_token") and (req.get("credentials") or {}).get("session_token"):
        raise Unsupported("omit_session_token: %s signs the credentials' session token; the adapter knows no option "
                          "of it that sends the token unsigned (aws-c-auth's omit_session_token)" % library)


def check_own_timestamp(params, library, where):
    """The library always writes its own Timestamp from the (pinned) clock:
    a request carrying another Timestamp, or Expires, is not one it sends."""
    own = Clock.utc_naive().strftime("%Y-%m-%dT%H:%M:%SZ")
    if "Expires" in params:
        raise Unsupported("%s always sets Timestamp from its clock (%s), so a request signed with Expires "
                          "cannot be expressed: it would carry both, which SigV2 refuses" % (library, where))
    ts = params.get("Timestamp")
    if ts is not None and ts != own:
        raise Unsupported("%s always sets Timestamp from its clock (%s): the request's Timestamp=%s cannot be "
                          "expressed (the clock pinned to context.time gives %s)" % (library, where, ts, own))


# ---------------------------------------------------------------- loop

def sign_only(library, version, signers):
    """answer() for a library that only signs: signers maps each scheme it
    implements to the function that signs a request of it."""
    def answer(req):
        if req["op"] != "sign":
            return {"unsupported": "%s %s only signs; it has no verifier" % (library, version)}
        sign = signers.get(req["scheme"])
        if sign is None:
            return {"unsupported": "%s does not implement scheme %s" % (library, req["scheme"])}
        return sign(req)
    return answer


def serve(answer):
    """Read requests line by line, answer each with answer(req) -> dict."""
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        rid = ""
        try:
            req = json.loads(line)
            rid = req.get("id", "")
            if req.get("protocol") != PROTOCOL:
                resp = {"error": "unknown protocol %r" % req.get("protocol")}
            else:
                Clock.set((req.get("context") or {}).get("time"))
                resp = answer(req)
        except Unsupported as e:
            resp = {"unsupported": str(e)}
        except Exception as e:  # the adapter or library failed on this case
            traceback.print_exc(file=sys.stderr)
            resp = {"error": "%s: %s" % (type(e).__name__, e)}
        resp["id"] = rid
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()
