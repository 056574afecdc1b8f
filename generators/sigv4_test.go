package generators

import (
	"slices"
	"testing"

	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/scheme/sigv4"
	"github.com/sigconform/sigconform/vectors"
)

// sigv4Classes are the edge classes the SigV4 generator claims: each must
// have signer and verifier cases.
var sigv4Classes = []string{
	"encoding", "params", "path", "s3", "headers", "methods", "post", "presign", "expiry", "payload", "token",
}

func TestSigv4Generator(t *testing.T) {
	_, set := loadGenerated(t, sigv4Files)
	sign, verify := map[string]int{}, map[string]int{}
	nSign, nVerify := 0, 0
	for _, c := range set.Cases() {
		counts := sign
		if c.Kind == vectors.Verify {
			counts = verify
			nVerify++
			if c.Tamper == "" && !slices.Contains(c.Tags, "valid") && c.Expected.Verdict == vectors.Reject {
				t.Errorf("%s: a rejected verify case without tamper", c.ID)
			}
		} else {
			nSign++
		}
		for _, tag := range c.Tags {
			counts[tag]++
		}
	}
	for _, class := range sigv4Classes {
		if sign[class] == 0 {
			t.Errorf("class %s: no sign cases", class)
		}
		if verify[class] == 0 {
			t.Errorf("class %s: no verify cases", class)
		}
	}
	if nSign < 150 || nSign > 400 {
		t.Errorf("%d sign cases, want 150-400", nSign)
	}
	if nVerify < 50 || nVerify > 120 {
		t.Errorf("%d verify cases, want 50-120", nVerify)
	}
}

// TestSigv4Escape checks the URL encoding the generator writes values
// with, on hand-worked inputs.
func TestSigv4Escape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AZaz09-_.~", "AZaz09-_.~"},
		{"a b+c", "a%20b%2Bc"},
		{"*/=&%", "%2A%2F%3D%26%25"},
		{"\u00e9", "%C3%A9"},
		{"\U0001F600", "%F0%9F%98%80"},
	}
	for _, tt := range tests {
		if got := percent.Escape(tt.in); got != tt.want {
			t.Errorf("percent.Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSigv4VerifyVariants checks that the form and POST-query bases show
// the keystoneclient and boto profiles as disputes.
func TestSigv4VerifyVariants(t *testing.T) {
	files, err := sigv4Files()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sigv4/verify/post-form-valid":           sigv4.ParamsInCanonicalQuery,
		"sigv4/verify/post-form-keystone-signed": sigv4.ParamsInCanonicalQuery,
		"sigv4/verify/post-query-valid":          sigv4.PostQueryIgnored,
		"sigv4/verify/post-query-boto-signed":    sigv4.PostQueryIgnored,
	}
	found := 0
	for _, f := range files {
		for _, c := range f.Cases {
			v, ok := want[c.ID]
			if !ok {
				continue
			}
			found++
			if _, ok := c.Variant(v); !ok || c.Disputed == "" {
				t.Errorf("%s: want variant %s recorded and the case disputed", c.ID, v)
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d cases", found, len(want))
	}
}
