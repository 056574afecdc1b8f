#!/usr/bin/python3
"""Offline test of keystone_server_adapter.py against a stand-in keystone
(no keystone needed, only python3-keystoneclient, which the in-process
adapter it reuses imports):

    /usr/bin/python3 implementations/keystone/adapter_test.py

The stand-in records what the adapter posts and answers what each test
says, so that the mapping of keystone's answers to verdicts, and the body
posted, are checked apart from keystone itself.
"""

import http.server
import json
import os
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class Fake(http.server.BaseHTTPRequestHandler):
    answer = (200, {})
    posted = []

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Fake.posted.append((self.path, self.headers.get("X-Auth-Token"), json.loads(body)))
        status, doc = Fake.answer
        raw = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


SIGV2 = {"protocol": "sigconform-adapter/v1", "id": "t", "op": "verify", "scheme": "sigv2",
         "credentials": {"access_key": "AKIDSIGCONFORMTEST", "secret_key": "sigconform-test-secret/+="},
         "request": {"method": "GET", "url": "https://ec2.amazonaws.com/?AWSAccessKeyId=AKIDSIGCONFORMTEST"
                     "&Action=DescribeInstances&SignatureVersion=2&Timestamp=2024-01-02T03%3A04%3A05Z"
                     "&Signature=abc%2B%3D"},
         "context": {"time": "2024-01-02T03:04:05Z"}}


def error(msg):
    return {"error": {"code": 401, "title": "Unauthorized", "message": msg}}


class AdapterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), Fake)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.dir = tempfile.mkdtemp()
        clock = os.path.join(cls.dir, "faketime")
        # the admin's state as with-server.sh leaves it: no login needed
        with open(os.path.join(cls.dir, "admin-state.json"), "w") as f:
            json.dump({"token": ["admin-token", "u", "p"],
                       "credentials": {"AKIDSIGCONFORMTEST": "sigconform-test-secret/+="}}, f)
        os.environ.update({"SIGCONFORM_TARGET": "http://127.0.0.1:%d" % cls.server.server_port,
                           "SIGCONFORM_KEYSTONE_ADMIN_PASSWORD": "x", "SIGCONFORM_FAKETIME_FILE": clock})
        import keystone_server_adapter
        keystone_server_adapter.BASE = os.environ["SIGCONFORM_TARGET"]
        cls.a = keystone_server_adapter
        cls.clock = clock

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def run_case(self, status, doc, req=SIGV2):
        from sigconform_common import Clock
        Fake.answer = (status, doc)
        Fake.posted.clear()
        Clock.set((req.get("context") or {}).get("time"))
        return self.a.answer(req)

    def test_accept_and_body(self):
        self.assertEqual(self.run_case(200, {}), {"verdict": {"accept": True}})
        path, token, body = Fake.posted[0]
        self.assertEqual(path, "/v3/ec2tokens")
        self.assertEqual(token, "admin-token")
        c = body["credentials"]
        self.assertEqual((c["access"], c["signature"], c["host"], c["verb"], c["path"]),
                         ("AKIDSIGCONFORMTEST", "abc+=", "ec2.amazonaws.com", "GET", "/"))
        self.assertNotIn("Signature", c["params"])
        self.assertEqual(c["params"]["Timestamp"], "2024-01-02T03:04:05Z")

    def test_clock_file_is_the_case_offset(self):
        self.run_case(200, {})
        with open(self.clock) as f:
            offset = float(f.read())
        # 2024-01-02T03:04:05Z is in the past: the offset is negative and
        # puts "now" within a minute of the case's time
        import time
        self.assertLess(abs(time.time() + offset - 1704164645), 60)

    def test_reasons(self):
        for msg, reason in (("EC2 signature not supplied.", "missing-parameter"),
                            ("Credential is expired", "expired"),
                            ("Credential timestamp is invalid: x", "malformed"),
                            ("Invalid EC2 signature.", None)):
            v = self.run_case(401, error(msg))["verdict"]
            self.assertFalse(v["accept"], msg)
            self.assertEqual(v.get("reason"), reason, msg)

    def test_unknown_key_404(self):
        v = self.run_case(404, {"error": {"code": 404, "message": "Could not find credential: 1f."}})["verdict"]
        self.assertEqual((v["accept"], v["reason"]), (False, "unknown-key"))

    def test_other_status_is_an_error(self):
        for status in (400, 404, 500):
            r = self.run_case(status, {"error": {"code": status, "message": "boom"}})
            self.assertIn("error", r, status)

    def test_no_signature_posted_without_it(self):
        req = json.loads(json.dumps(SIGV2))
        req["request"]["url"] = req["request"]["url"].split("&Signature=")[0]
        self.run_case(401, error("EC2 signature not supplied."), req)
        self.assertNotIn("signature", Fake.posted[0][2]["credentials"])

    def test_sign_is_unsupported(self):
        self.assertIn("unsupported", self.a.answer(dict(SIGV2, op="sign")))


if __name__ == "__main__":
    unittest.main()
