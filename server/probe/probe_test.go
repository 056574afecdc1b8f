package probe

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

func TestRetarget(t *testing.T) {
	target := &url.URL{Scheme: "http", Host: "127.0.0.1:9"}
	for raw, want := range map[string]string{
		"https://example.com/a/b?x=%20&y": "http://127.0.0.1:9/a/b?x=%20&y",
		"http://example.com":              "http://127.0.0.1:9/",
		"http://example.com?a=1":          "http://127.0.0.1:9/?a=1",
		"/p?q=1":                          "http://127.0.0.1:9/p?q=1",
	} {
		got, err := Retarget(raw, target)
		if err != nil || got != want {
			t.Errorf("Retarget(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestStatusRanges(t *testing.T) {
	r, err := ParseStatusRanges("200-299,304")
	if err != nil {
		t.Fatal(err)
	}
	for status, want := range map[int]bool{200: true, 204: true, 304: true, 401: false, 199: false} {
		if got := Accepts("sigv4", r, status, nil); got != want {
			t.Errorf("Accepts(%d) = %v", status, got)
		}
	}
	if Accepts("cloudstack", r, 200, []byte("Access denied. Invalid web session or API key in request")) {
		t.Error("the console's 200 Access denied is a refusal")
	}
	for _, bad := range []string{"2xx", "300-200", "99", ""} {
		if _, err := ParseStatusRanges(bad); err == nil {
			t.Errorf("ParseStatusRanges(%q) accepted", bad)
		}
	}
}

// Every planned probe targets only the target, and the correct ones are
// accepted by the reference as a Go server receives them.
func TestPlan(t *testing.T) {
	target := &url.URL{Scheme: "http", Host: "127.0.0.1:9"}
	for _, s := range scheme.All() {
		probes, _, err := Plan(Config{Scheme: s, Target: target, Now: time.Now,
			Credentials: sigconform.Credentials{AccessKey: "K", SecretKey: "S3cret/+="}})
		if err != nil {
			t.Fatal(err)
		}
		valid, tampered := 0, 0
		for _, p := range probes {
			u, err := url.Parse(p.Request.URL)
			if err != nil || u.Host != target.Host || u.Scheme != "http" {
				t.Errorf("%s: %s goes to %q", s.Name(), p.ID(), p.Request.URL)
			}
			if p.Tamper == "valid" {
				valid++
				if !p.Want.Accept {
					t.Errorf("%s: correct request refused by the reference: %+v", p.ID(), p.Want)
				}
			} else {
				tampered++
			}
			if p.Tamper == "one-bit" && p.Want.Accept {
				t.Errorf("%s accepted by the reference", p.ID())
			}
		}
		if valid == 0 || tampered == 0 {
			t.Errorf("%s: %d correct, %d tampered probes", s.Name(), valid, tampered)
		}
	}
}

func TestErrorCodeAccepts(t *testing.T) {
	r, _ := ParseStatusRanges("200-299")
	noKey := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
	badSig := []byte(`<Error><Code>SignatureDoesNotMatch</Code></Error>`)
	if got := ErrorCode(noKey); got != "NoSuchKey" {
		t.Errorf("ErrorCode = %q", got)
	}
	for _, bad := range []string{"", "<Code>", "<Code>a b</Code>", "<Code>" + strings.Repeat("x", 200) + "</Code>", "plain text"} {
		if got := ErrorCode([]byte(bad)); got != "" {
			t.Errorf("ErrorCode(%q) = %q, want none", bad, got)
		}
	}
	codes := []string{"NoSuchKey", "NoSuchBucket"}
	for _, tt := range []struct {
		status int
		body   []byte
		codes  []string
		want   bool
	}{
		{404, noKey, codes, true},
		{404, noKey, nil, false}, // not asked for
		{403, badSig, codes, false},
		{200, nil, codes, true},
		{200, badSig, codes, true}, // a 2xx is an acceptance whatever its body
		{404, []byte("not found"), codes, false},
		{400, []byte("<Error><Code>InvalidArgument</Code><ArgumentName>versionId</ArgumentName></Error>"), []string{"InvalidArgument/versionId"}, true},
		{400, []byte("<Error><Code>InvalidArgument</Code><ArgumentName>Authorization</ArgumentName></Error>"), []string{"InvalidArgument/versionId"}, false},
	} {
		if got := AcceptsAnswer("sigv4", r, tt.codes, tt.status, tt.body); got != tt.want {
			t.Errorf("AcceptsAnswer(%d, %.40q, %v) = %v, want %v", tt.status, tt.body, tt.codes, got, tt.want)
		}
	}
}

// -per-topic 0 (PerTopic < 0) takes every sign vector; TamperEach tampers
// with each; PathPrefix puts every request under one path; a bad prefix
// is refused.
func TestPlanAllPrefixed(t *testing.T) {
	s, ok := scheme.Lookup("sigv4")
	if !ok {
		t.Fatal("no sigv4")
	}
	target := &url.URL{Scheme: "http", Host: "127.0.0.1:9"}
	creds := sigconform.Credentials{AccessKey: "K", SecretKey: "probe-test-secret"}
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	signVectors := 0
	for _, c := range set.Cases() {
		if c.Scheme() == "sigv4" && c.Kind == vectors.Sign {
			signVectors++
		}
	}
	probes, skips, err := Plan(Config{Scheme: s, Target: target, Credentials: creds, PerTopic: -1, PathPrefix: "/bucket"})
	if err != nil {
		t.Fatal(err)
	}
	valid, firsts := 0, map[string]bool{}
	for _, p := range probes {
		if p.Tamper == "valid" {
			valid++
		} else {
			firsts[p.Case] = true
		}
		if !strings.HasPrefix(p.Request.URL, "http://127.0.0.1:9/bucket/") {
			t.Errorf("%s: %s is not under the prefix", p.ID(), p.Request.URL)
		}
	}
	if valid+len(skips) != signVectors {
		t.Errorf("%d correct requests and %d skipped, want the %d sign vectors", valid, len(skips), signVectors)
	}
	each, _, err := Plan(Config{Scheme: s, Target: target, Credentials: creds, PerTopic: 2, TamperEach: true})
	if err != nil {
		t.Fatal(err)
	}
	tamperedCases := map[string]bool{}
	for _, p := range each {
		if p.Tamper != "valid" {
			tamperedCases[p.Case] = true
		}
	}
	if len(tamperedCases) <= len(firsts) {
		t.Errorf("TamperEach with 2 per topic tampered with %d cases, one per topic is %d", len(tamperedCases), len(firsts))
	}
	for _, bad := range []string{"bucket", "/bucket/", "/a?b", "/a b", "/%41"} {
		if _, _, err := Plan(Config{Scheme: s, Target: target, Credentials: creds, PathPrefix: bad}); err == nil {
			t.Errorf("PathPrefix %q accepted", bad)
		}
	}
}

// With the S3 profile every request is scoped to s3 in the region, a
// header-signed one signs x-amz-content-sha256, a presigned one
// UNSIGNED-PAYLOAD, and the reference accepts the correct ones only by
// S3's path rule: checked with the default rule (normalized, encoded
// twice), some are refused.
func TestPlanS3Profile(t *testing.T) {
	s, _ := scheme.Lookup("sigv4")
	target := &url.URL{Scheme: "http", Host: "127.0.0.1:9"}
	creds := sigconform.Credentials{AccessKey: "K", SecretKey: "probe-test-secret"}
	now := time.Now().UTC().Truncate(time.Second)
	probes, skips, err := Plan(Config{Scheme: s, Target: target, Credentials: creds, PerTopic: -1, PathPrefix: "/b", S3Region: "eu-west-3",
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	// Only the vectors no live server can be sent are skipped: a presigned
	// URL valid a second, a header value net/http will not write.
	for _, sk := range skips {
		if !strings.Contains(sk.Reason, "may expire before") && !strings.Contains(sk.Reason, "net/http does not send") {
			t.Errorf("S3 profile: %s skipped: %s", sk.Case, sk.Reason)
		}
	}
	if len(skips) == 0 || len(skips) > 5 {
		t.Errorf("S3 profile: %d vectors skipped, want the few that cannot be sent", len(skips))
	}
	byDefaultRule := 0
	presigned, headers := 0, 0
	for _, p := range probes {
		if p.Tamper != "valid" {
			continue
		}
		u, _ := url.Parse(p.Request.URL)
		scope := "/eu-west-3/s3/aws4_request"
		if cred := u.Query().Get("X-Amz-Credential"); cred != "" {
			presigned++
			if !strings.HasSuffix(cred, scope) {
				t.Errorf("%s: credential %q not scoped to %s", p.ID(), cred, scope)
			}
			if !strings.Contains(p.Request.URL, "X-Amz-SignedHeaders=") {
				t.Errorf("%s: presigned without signed headers", p.ID())
			}
		} else {
			headers++
			auth, _ := p.Request.Header("Authorization")
			sha, ok := p.Request.Header("X-Amz-Content-Sha256")
			if !strings.Contains(auth, scope) || !ok || !strings.Contains(auth, "x-amz-content-sha256") {
				t.Errorf("%s: Authorization %q, x-amz-content-sha256 %q (%v)", p.ID(), auth, sha, ok)
			}
		}
		in := sigconform.Input{Scheme: "sigv4", Credentials: creds, Request: p.Request,
			Context: sigconform.Context{Time: now.Format(time.RFC3339), Region: "eu-west-3", Service: "s3"}}
		if !s.Verify(in, "").Accept {
			byDefaultRule++
		}
	}
	if presigned == 0 || headers == 0 {
		t.Errorf("%d presigned, %d header-signed correct requests", presigned, headers)
	}
	if byDefaultRule == 0 {
		t.Error("every S3-profile request also verifies by the non-S3 path rule: the profile changed nothing")
	}
	cs, _ := scheme.Lookup("cloudstack")
	if _, _, err := Plan(Config{Scheme: cs, Target: target, Credentials: creds, S3Region: "x"}); err == nil {
		t.Error("S3 profile accepted for cloudstack")
	}
}

// An answer whose code says the server never reached its signature check
// is neither an acceptance nor a refusal: the report lists it as
// unchecked and does not count it as a divergence.
func TestSendUnchecked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, "<Error><Code>BadPath</Code></Error>")
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	s, _ := scheme.Lookup("sigv4")
	probes, _, err := Plan(Config{Scheme: s, Target: u, Credentials: sigconform.Credentials{AccessKey: "K", SecretKey: "probe-test-secret"}, PerTopic: 1})
	if err != nil {
		t.Fatal(err)
	}
	probes = probes[:3]
	opts := Options{Scheme: "sigv4", Target: u, Rate: 1000, Timeout: time.Minute, Accept: []StatusRange{{200, 299}}}
	rep := NewReport("sigv4", u.String(), Send(context.Background(), probes, opts), nil, 0)
	if len(rep.RefusedValid) != 3 || len(rep.Unchecked) != 0 {
		t.Fatalf("without -unchecked-code: refused %v, unchecked %v", rep.RefusedValid, rep.Unchecked)
	}
	opts.UncheckedCodes = []string{"BadPath"}
	rep = NewReport("sigv4", u.String(), Send(context.Background(), probes, opts), nil, 0)
	if len(rep.RefusedValid) != 0 || len(rep.Unchecked) != 3 || !rep.Conformant {
		t.Errorf("with -unchecked-code BadPath: refused %v, unchecked %v, conformant %v", rep.RefusedValid, rep.Unchecked, rep.Conformant)
	}
	var text strings.Builder
	rep.WriteText(&text, nil)
	if !strings.Contains(text.String(), "unchecked: 3 requests") {
		t.Errorf("text report does not say so:\n%s", text.String())
	}
}

func TestS3PostSubresource(t *testing.T) {
	base := "http://127.0.0.1:9/b"
	for _, tt := range []struct{ method, raw, want string }{
		{"POST", base + "/", base + "/?delete"},
		{"POST", base + "/?x=1", base + "/?x=1&delete"},
		{"POST", base + "/a/b", base + "/a/b?uploads"},
		{"POST", base + "/a?uploadId=7", base + "/a?uploadId=7"},
		{"GET", base + "/", base + "/"},
	} {
		if got := s3PostSubresource(tt.method, tt.raw, base); got != tt.want {
			t.Errorf("s3PostSubresource(%s %s) = %s, want %s", tt.method, tt.raw, got, tt.want)
		}
	}
}
