package probe

import (
	"net/url"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
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
