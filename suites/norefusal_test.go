package suites_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// TestReasonlessRefusalNamesOnlyARefusingVariant: a verifier that refuses
// every request without a reason, run over every must-accept case of the
// corpus. The report names a variant only where that variant, as the
// scheme computes it, refuses the case (a refusal without a reason
// matches any refusal: a verifier need not classify); on every other case
// it says that no known variant explains the refusal. In the generated
// files, which record every variant that decides otherwise, the variant
// named is one the case records refusing it. (Issue 11, item 6: a refusal
// reported as matching post-query-ignored. It is named on the presigned
// POST cases of sigv4/published.yaml, whose verifier signs without the
// query and so refuses them, bad-signature; that file, written by hand,
// does not record the outcome.)
func TestReasonlessRefusalNamesOnlyARefusingVariant(t *testing.T) {
	var cases []*vectors.Case
	for _, c := range embedded(t, suites.Filter{Kinds: []vectors.Kind{vectors.Verify}}) {
		if c.Expected.Verdict == vectors.Accept {
			cases = append(cases, c)
		}
	}
	refuse := suites.VerifierFunc(func(context.Context, sigconform.Input) (sigconform.Verdict, error) {
		return sigconform.Verdict{}, nil // a refusal, no reason given
	})
	run := suites.Runner{Verifier: refuse}
	rep := run.Run(context.Background(), cases)
	named, unexplained := 0, 0
	for i, r := range rep.Cases {
		c := cases[i]
		if r.ID != c.ID || r.Status != suites.Fail {
			t.Fatalf("%s: result %s %s", c.ID, r.ID, r.Status)
		}
		s, _ := scheme.Lookup(c.Scheme())
		var refusing []string
		for _, v := range s.Variants() {
			if v.Verifies && !s.Verify(c.Input(), v.Name).Accept {
				refusing = append(refusing, v.Name)
			}
		}
		if r.Variant == nil {
			unexplained++
			if want := "refused a valid request: matches no known variant"; r.Cause() != want {
				t.Errorf("%s: cause %q, want %q", c.ID, r.Cause(), want)
			}
			if len(refusing) > 0 {
				t.Errorf("%s: %v refuse it, and the report names none", c.ID, refusing)
			}
			continue
		}
		named++
		if !slices.Contains(refusing, r.Variant.Name) {
			t.Errorf("%s: the report names %s, which accepts it (refusing: %v)", c.ID, r.Variant.Name, refusing)
		}
		if o, ok := c.Variant(r.Variant.Name); c.Source != vectors.Published && (!ok || o.Verdict != vectors.Reject) {
			t.Errorf("%s: the report names %s, which the generated case does not record refusing it", c.ID, r.Variant.Name)
		}
		if !strings.HasSuffix(r.Cause(), ": matches known variant "+r.Variant.Name) {
			t.Errorf("%s: cause %q", c.ID, r.Cause())
		}
	}
	// Both kinds occur, or the test proves nothing.
	if named == 0 || unexplained == 0 {
		t.Fatalf("%d cases named a variant, %d none: want some of each", named, unexplained)
	}
	t.Logf("%d must-accept cases: %d refusals explained by a variant that refuses them, %d by none", len(cases), named, unexplained)
}
