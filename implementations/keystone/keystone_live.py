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

The credentials: Admin logs in as the bootstrap admin (a test password) and
makes sure an EC2 credential {access, secret} exists for the admin user on
the admin project, as `openstack ec2 credentials create` would. keystone
keys a credential by sha256(access) (keystone.common.utils.hash_access_key),
so one access key has one secret at a time; ensure() replaces it when a case
brings another.

    python3 keystone_live.py wait URL SECONDS
    python3 keystone_live.py ensure URL ADMIN_PASSWORD CLOCK_FILE ACCESS SECRET
"""

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


class Admin:
    def __init__(self, base, password, clock_file):
        self.base = base.rstrip("/")
        self.password = password
        self.clock_file = clock_file
        self.known = {}  # access -> secret, as stored in keystone

    def _login(self):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": self.password}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
        status, headers, parsed, text = call("POST", self.base + "/v3/auth/tokens", body)
        if status != 201 or not parsed:
            raise RuntimeError("keystone refused the admin login: HTTP %d %s" % (status, text[:300]))
        tok = parsed["token"]
        return headers["X-Subject-Token"], tok["user"]["id"], tok["project"]["id"]

    def ensure(self, access, secret):
        """Make keystone hold the EC2 credential access -> secret."""
        if self.known.get(access) == secret:
            return
        # Tokens are issued and checked against keystone's clock: log in on the real one.
        set_clock(self.clock_file, None)
        token, user_id, project_id = self._login()
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
        self.known[access] = secret


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
    print(__doc__, file=sys.stderr)
    sys.exit(2)
