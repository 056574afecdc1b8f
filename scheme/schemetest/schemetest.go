// Package schemetest checks a reference Scheme against every vector of its
// scheme, stage by stage and variant by variant. Each scheme package calls
// Run from its tests, so a published value is always recomputed from the
// vector file itself, never from a copy of it.
package schemetest

import (
	"slices"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/vectors"
)

// Run checks s against every embedded vector of scheme s.Name(), one subtest
// per case id. It fails when there are none.
func Run(t *testing.T, s sigconform.Scheme) {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatalf("loading embedded vectors: %v", err)
	}
	RunSet(t, s, set)
}

// RunSet is Run over a given set of vectors.
func RunSet(t *testing.T, s sigconform.Scheme, set *vectors.Set) {
	t.Helper()
	n := 0
	for _, c := range set.Cases() {
		if c.Scheme() != s.Name() {
			continue
		}
		n++
		t.Run(c.ID, func(t *testing.T) { checkCase(t, s, c) })
	}
	if n == 0 {
		t.Fatalf("no vectors for scheme %q", s.Name())
	}
}

func checkCase(t *testing.T, s sigconform.Scheme, c *vectors.Case) {
	t.Helper()
	for _, st := range c.Expected.Stages {
		if !slices.Contains(s.Stages(), st.Name) {
			t.Errorf("%s: stage %q is not a stage of %s (%v)", c.Pos(), st.Name, s.Name(), s.Stages())
		}
	}
	check := func(variant string, want vectors.Outcome) {
		in := c.Input()
		label := "reference"
		if variant != "" {
			label = "variant " + variant
			if _, ok := sigconform.LookupVariant(s, variant); !ok {
				t.Errorf("%s: %s has no variant %q", c.Pos(), s.Name(), variant)
				return
			}
		}
		var ms []vectors.Mismatch
		switch c.Kind {
		case vectors.Sign:
			res, err := s.Sign(in, variant)
			if err != nil {
				t.Errorf("%s: %s: Sign: %v", c.Pos(), label, err)
				return
			}
			ms = want.CompareResult(res)
		case vectors.Verify:
			ms = want.CompareVerdict(s.Verify(in, variant))
		}
		for _, m := range ms {
			t.Errorf("%s: %s: %s:\n got: %q\nwant: %q", c.Pos(), label, m.Field, m.Got, m.Want)
		}
	}
	check("", c.Expected)
	for _, v := range c.Variants {
		check(v.Name, v.Outcome)
	}
}

// SignCases returns a sample of the embedded sign cases of a scheme, for
// tests that run every case through more than signing (each variant,
// Explain): every published case and every third of the others, in file
// order. It fails when there are fewer than ten.
func SignCases(t *testing.T, scheme string) []*vectors.Case {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatalf("loading embedded vectors: %v", err)
	}
	var out []*vectors.Case
	n := 0
	for _, c := range set.Cases() {
		if c.Scheme() != scheme || c.Kind != vectors.Sign {
			continue
		}
		if c.Source != vectors.Published {
			if n++; n%3 != 0 {
				continue
			}
		}
		out = append(out, c)
	}
	if len(out) < 10 {
		t.Fatalf("only %d %s sign cases", len(out), scheme)
	}
	return out
}
