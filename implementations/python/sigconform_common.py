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


# ---------------------------------------------------------------- loop

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
