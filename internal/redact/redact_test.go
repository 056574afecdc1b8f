package redact

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestEveryEncodingRedacted writes each test secret in every encoding the
// schemes and reports produce, inside other text, and checks that nothing
// of it is left: not the secret, and not any of its forms.
func TestEveryEncodingRedacted(t *testing.T) {
	secrets := []string{
		// CloudStack's developer-guide example key: '-' and '_'.
		"VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ",
		// AWS's documentation key: '/' and '+'-free Base64-like.
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		// Everything that encodes differently: space, '+', '/', '=', quote,
		// backslash, '<', '~', '*', and a non-ASCII letter.
		"a+b/c=d e\"f\\g<h>~i*jü",
	}
	for _, secret := range secrets {
		r := New(secret, "AKIDEXAMPLE")
		var texts []string
		for _, f := range Forms(secret) {
			texts = append(texts, f, strings.ToLower(f), strings.ToUpper(f))
		}
		// As a client would send it, and as reports write it.
		texts = append(texts,
			"GET /?secret="+url.QueryEscape(secret)+"&x=1",
			"apikey=k&command=list&secret="+strings.ToLower(url.QueryEscape(secret)),
		)
		j, _ := json.Marshal(map[string]string{"url": "/?k=" + url.QueryEscape(secret), "raw": secret})
		texts = append(texts, string(j))
		for _, text := range texts {
			got := r.String("before " + text + " after")
			if !strings.Contains(got, Placeholder) {
				t.Errorf("%q: nothing redacted in %q", secret, got)
			}
			for _, f := range Forms(secret) {
				if strings.Contains(strings.ToLower(got), strings.ToLower(f)) {
					t.Errorf("%q: form %q left in %q", secret, f, got)
				}
			}
		}
		if got := r.String("key AKIDEXAMPLE"); got != "key "+Placeholder {
			t.Errorf("second secret not redacted: %q", got)
		}
	}
}

func TestNothingToRedact(t *testing.T) {
	var nilR *Redactor
	for _, r := range []*Redactor{nilR, New(), New("")} {
		if got := r.String("text"); got != "text" {
			t.Errorf("%v: %q", r, got)
		}
	}
}

// TestWriterFindsSplitSecret: a secret written in two pieces of one line is
// still redacted, and a last line without a line end is written by Flush.
func TestWriterFindsSplitSecret(t *testing.T) {
	var out strings.Builder
	w := New("s3cr3t-key").Writer(&out)
	for _, piece := range []string{"one s3cr", "3t-key line\nlast S3CR3T", "-KEY"} {
		if _, err := w.Write([]byte(piece)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "one <secret> line\nlast <secret>"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
