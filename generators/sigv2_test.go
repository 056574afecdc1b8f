package generators

import (
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/sigv2"
	"github.com/sigconform/sigconform/vectors"
)

func TestSigv2Generator(t *testing.T) {
	_, set := loadGenerated(t, sigv2Files)

	// Every class claimed has cases of the kinds it is claimed for ("get"
	// tags only verify cases, whose request shape it names).
	count := map[vectors.Kind]map[string]int{vectors.Sign: {}, vectors.Verify: {}}
	kinds := map[vectors.Kind]int{}
	for _, c := range set.Cases() {
		kinds[c.Kind]++
		for _, tag := range c.Tags {
			count[c.Kind][tag]++
		}
	}
	both := []string{"encoding", "utf8", "params", "host", "path", "post", "hmac-sha256", "hmac-sha1", "version-1", "version-0", "expiry"}
	signOnly := []string{"ascii", "long", "headers", "auth", "token"}
	for _, tag := range both {
		if count[vectors.Sign][tag] == 0 || count[vectors.Verify][tag] == 0 {
			t.Errorf("class %q: %d sign and %d verify cases, want both", tag, count[vectors.Sign][tag], count[vectors.Verify][tag])
		}
	}
	for _, tag := range signOnly {
		if count[vectors.Sign][tag] == 0 {
			t.Errorf("class %q has no sign cases", tag)
		}
	}
	if count[vectors.Verify]["tamper"] == 0 {
		t.Error("no tamper verify cases")
	}
	if n := kinds[vectors.Sign]; n < 150 || n > 400 {
		t.Errorf("%d sign cases, want 150-400", n)
	}
	if n := kinds[vectors.Verify]; n < 50 || n > 120 {
		t.Errorf("%d verify cases, want 50-120", n)
	}

	// Every tampering the contract lists is present.
	var tampers []string
	for _, c := range set.Cases() {
		if c.Tamper != "" && !slices.Contains(tampers, c.Tamper) {
			tampers = append(tampers, c.Tamper)
		}
	}
	for _, want := range []string{"one-bit", "case-swapped", "urlsafe-base64", "unpadded", "other-secret", "param-added",
		"param-removed", "expired", "future", "no-signature", "no-key", "unknown-key"} {
		if !slices.Contains(tampers, want) {
			t.Errorf("no case tampered %q", want)
		}
	}

	for _, c := range set.Cases() {
		if c.Kind == vectors.Verify {
			// Disputed is set exactly when a variant's accept/reject
			// differs from the reference's.
			differs := false
			for _, v := range c.Variants {
				if v.Verdict != c.Expected.Verdict {
					differs = true
				}
			}
			if differs != (c.Disputed != "") {
				t.Errorf("%s: disputed %q, but a variant differs: %v", c.ID, c.Disputed, differs)
			}
		}
		// A GET sign case's signed URL verifies under the reference at the
		// signing time; so does a version 2 form POST's body.
		if c.Kind == vectors.Sign {
			if req, ok := sigv2SentRequest(c); ok {
				in := c.Input()
				in.Request = req
				if v := sigv2.Scheme.Verify(in, ""); !v.Accept {
					t.Errorf("%s: the signed request does not verify: %s: %s", c.ID, v.Reason, v.Detail)
				}
			}
		}
	}
}

// sigv2SentRequest is the request a sign case's signer sends, when the
// vector holds enough to rebuild it.
func sigv2SentRequest(c *vectors.Case) (sigconform.Request, bool) {
	req := c.Request
	if req.Body == "" {
		req.URL = c.Expected.URL
		return req, true
	}
	sts, ok := c.Expected.Stages.Get(sigv2.StageStringToSign)
	lines := strings.SplitN(sts, "\n", 4)
	if !ok || len(lines) != 4 {
		return req, false // versions 0 and 1
	}
	req.Body = lines[3] + "&Signature=" + sigv2.Encode(c.Expected.Signature)
	return req, true
}
