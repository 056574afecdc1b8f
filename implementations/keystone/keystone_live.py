"""Talking to a live keystone started by with-server.sh (stdlib only).

The clock: with-server.sh runs keystone under libfaketime with
FAKETIME_TIMESTAMP_FILE and FAKETIME_NO_CACHE=1, so keystone reads this file
on every clock call. set_clock() writes it atomically as an offset in
seconds from the real clock ("-282913200.123456"; "+0" is the real clock),
so that keystone's clock reads the case's time now and goes on ticking from
there. (An absolute, frozen time would be exact to the microsecond, but it
freezes the monotonic clock too, or, with FAKETIME_DONT_FAKE_MONOTONIC,
makes libfaketime 0.9.10 fail every time.sleep with EINVAL.) keystone reads
its clock a few milliseconds after set_clock; the vectors keep a minute or
more between a timestamp and keystone's 15-minute limit.

The credentials: Admin logs in as the bootstrap admin (a test password; see
token() for the clock it logs in at) and makes sure an EC2 credential {access, secret} exists for the admin user on
the admin project, as `openstack ec2 credentials create` would. keystone
keys a credential by sha256(access) (keystone.common.utils.hash_access_key),
so one access key has one secret at a time; ensure() replaces it when a case
brings another.

    python3 keystone_live.py wait URL SECONDS
    python3 keystone_live.py ensure URL ADMIN_PASSWORD CLOCK_FILE ACCESS SECRET
    bin/conform export | python3 keystone_live.py ensure-corpus URL ADMIN_PASSWORD CLOCK_FILE

ensure-corpus creates the key pairs of every sigv2 and sigv4 verify case up
front, so that a case's time budget is not spent on the admin API (the
adapter still creates a pair it has not seen, or replaces a secret).
"""

import datetime
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request

HTTP_TIMEOUT = 60  # seconds; keystone on a loaded machine answers slowly, never this slowly


def set_clock(path, when):
    """when: None (the real clock) or an aware datetime."""
    if when is None:
        text = "+0\n"
    else:
        offset = when.timestamp() - time.time()
        text = "%+.6f\n" % offset
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def call(method, url, body=None, token=None, timeout=HTTP_TIMEOUT):
    """(status, headers, parsed JSON body or None, raw text)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    # no proxy: the server is on loopback
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            status, headers, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, e.headers, e.read()
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return status, headers, parsed, text


def credential_id(access):
    # keystone/common/utils.py hash_access_key
    return hashlib.sha256(access.encode("utf-8")).hexdigest()


# Debian's keystone (since 2:22.0.2-0+deb12u1, Launchpad bug 2119646) lets
# only an admin or a service call /v3/ec2tokens (policy
# identity:ec2tokens_validate, rule:service_or_admin), as the services that
# call it do with their own token. A token is checked against keystone's
# clock, which the adapter moves from 2011 to 2026 and back, so the admin's
# token is issued with keystone's clock at TOKEN_EPOCH and lives
# TOKEN_LIFETIME seconds (with-server.sh sets [token] expiration to it):
# valid at every time a vector names.
TOKEN_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
TOKEN_LIFETIME = 50 * 366 * 86400  # to 2050


class Admin:
    def __init__(self, base, password, clock_file):
        self.base = base.rstrip("/")
        self.password = password
        self.clock_file = clock_file
        # what keystone holds, kept next to the clock file, so that the
        # adapter knows what with-server.sh created:
        # {"token": [token, user_id, project_id], "credentials": {access: secret}}
        self.state_file = os.path.join(os.path.dirname(os.path.abspath(clock_file)), "admin-state.json")
        try:
            with open(self.state_file) as f:
                self.state = json.load(f)
        except (OSError, ValueError):
            self.state = {}
        self.state.setdefault("credentials", {})

    def _save(self):
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.state, f)
        os.replace(tmp, self.state_file)

    def token(self):
        """The admin's token: (token, user_id, project_id)."""
        if not self.state.get("token"):
            body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"id": "default"}, "password": self.password}}},
                "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
            set_clock(self.clock_file, TOKEN_EPOCH)
            try:
                status, headers, parsed, text = call("POST", self.base + "/v3/auth/tokens", body)
            finally:
                set_clock(self.clock_file, None)
            if status != 201 or not parsed:
                raise RuntimeError("keystone refused the admin login: HTTP %d %s" % (status, text[:300]))
            tok = parsed["token"]
            self.state["token"] = [headers["X-Subject-Token"], tok["user"]["id"], tok["project"]["id"]]
            self._save()
        return tuple(self.state["token"])

    def ensure(self, access, secret):
        """Make keystone hold the EC2 credential access -> secret."""
        self.ensure_all([(access, secret)])

    def ensure_all(self, pairs):
        """ensure() each (access, secret); the first secret of an access key wins."""
        known = self.state["credentials"]
        todo = []
        for access, secret in pairs:
            if known.get(access) != secret and access not in [a for a, _ in todo]:
                todo.append((access, secret))
        if not todo:
            return
        token, user_id, project_id = self.token()
        try:
            for access, secret in todo:
                self._ensure(token, user_id, project_id, access, secret)
                known[access] = secret
        finally:
            self._save()

    def _ensure(self, token, user_id, project_id, access, secret):
        cid = credential_id(access)
        blob = json.dumps({"access": access, "secret": secret})
        status, _, parsed, text = call("GET", "%s/v3/credentials/%s" % (self.base, cid), token=token)
        if status == 404:
            status, _, parsed, text = call("POST", self.base + "/v3/credentials", {"credential": {
                "type": "ec2", "user_id": user_id, "project_id": project_id, "blob": blob}}, token)
            if status != 201:
                raise RuntimeError("keystone refused to create the EC2 credential %s: HTTP %d %s" % (access, status, text[:300]))
        elif status == 200:
            if json.loads(parsed["credential"]["blob"]).get("secret") != secret:
                status, _, _, text = call("PATCH", "%s/v3/credentials/%s" % (self.base, cid),
                                          {"credential": {"blob": blob}}, token)
                if status != 200:
                    raise RuntimeError("keystone refused to update the EC2 credential %s: HTTP %d %s" % (access, status, text[:300]))
        else:
            raise RuntimeError("GET /v3/credentials/%s: HTTP %d %s" % (cid, status, text[:300]))


def wait(url, seconds):
    """Until GET url/v3 answers 200, at most `seconds`."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            status, _, _, text = call("GET", url.rstrip("/") + "/v3", timeout=10)
            if status == 200:
                return True
            last = "HTTP %d" % status
        except Exception as e:  # not listening yet
            last = "%s: %s" % (type(e).__name__, e)
        time.sleep(0.5)
    print("keystone at %s did not answer within %ss (last: %s)" % (url, seconds, last), file=sys.stderr)
    return False


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "wait":
        sys.exit(0 if wait(sys.argv[2], float(sys.argv[3])) else 1)
    if len(sys.argv) == 7 and sys.argv[1] == "ensure":
        Admin(sys.argv[2], sys.argv[3], sys.argv[4]).ensure(sys.argv[5], sys.argv[6])
        sys.exit(0)
    if len(sys.argv) == 5 and sys.argv[1] == "ensure-corpus":
        corpus = json.load(sys.stdin)
        pairs = []
        for f in corpus["files"]:
            if f["scheme"] not in ("sigv2", "sigv4"):
                continue
            for c in f["cases"]:
                if c.get("kind") == "verify" and c.get("credentials"):
                    pairs.append((c["credentials"]["access_key"], c["credentials"]["secret_key"]))
        admin = Admin(sys.argv[2], sys.argv[3], sys.argv[4])
        admin.ensure_all(pairs)
        print("keystone_live: %d EC2 credentials for %d verify cases" % (len(admin.state["credentials"]), len(pairs)), file=sys.stderr)
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
