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
	variantsAreCopies(t, s)
}

// variantsAreCopies checks that what Variants returns is the caller's to
// change: a scheme that handed out its own list could be changed by
// anyone who sorted or edited it.
func variantsAreCopies(t *testing.T, s sigconform.Scheme) {
	t.Helper()
	vs := s.Variants()
	if len(vs) == 0 {
		return
	}
	name := vs[0].Name
	vs[0].Name = "changed-by-a-caller"
	if len(vs[0].Refs) > 0 {
		vs[0].Refs[0] = "changed-by-a-caller"
	}
	again := s.Variants()
	if again[0].Name != name || len(again[0].Refs) > 0 && again[0].Refs[0] == "changed-by-a-caller" {
		t.Errorf("%s: Variants returns the scheme's own list, not a copy", s.Name())
	}
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
			if variant != "" && (want.Departs != "" || len(want.Stages) == 0) {
				if got := departure(t, s, in, res); got != want.Departs {
					t.Errorf("%s: %s: departs at %q, the vector says %q", c.Pos(), label, got, want.Departs)
				}
			}
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

// departure is the first stage at which res, a variant's signing of in,
// differs from the reference's; "" when none does.
func departure(t *testing.T, s sigconform.Scheme, in sigconform.Input, res sigconform.Result) string {
	t.Helper()
	ref, err := s.Sign(in, "")
	if err != nil {
		t.Errorf("%s: reference Sign: %v", in.ID, err)
		return ""
	}
	for _, st := range res.Stages {
		if want, _ := ref.Stage(st.Name); want != st.Value {
			return st.Name
		}
	}
	return ""
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

// Explain checks that sigconform.IdentifySigned, over s's Explain,
// identifies each signing variant: every sampled case is signed with the
// reference and with each signing variant, sent, and taken apart as conform
// explain does (no access key, no clock). The signature the request
// carries must be found; the reference's recomputation must be the
// reference's signature; it must be the signature carried exactly when the
// reference verifier accepts the request, expiry aside; and when it is not,
// the variant that signed must be among those identified, recomputing its
// stages.
//
// verifierClock, when not nil, gives the verifier's clock for a request
// whose case sets none (ZStack's server checks the Date it is sent);
// otherwise the case's own context is used. A request the server refuses before it looks at the
// signature (a missing parameter) has nothing to explain and is passed
// over.
func Explain(t *testing.T, s sigconform.ExplainingScheme, verifierClock func(sigconform.Request) string) {
	t.Helper()
	names := []string{""}
	for _, v := range s.Variants() {
		if v.Signs {
			names = append(names, v.Name)
		}
	}
	for _, c := range SignCases(t, s.Name()) {
		in := c.Input()
		ref, err := s.Sign(in, "")
		if err != nil {
			t.Errorf("%s: Sign: %v", c.ID, err)
			continue
		}
		for _, name := range names {
			res, err := s.Sign(in, name)
			if err != nil {
				t.Errorf("%s %q: Sign: %v", c.ID, name, err)
				continue
			}
			check := in
			check.Request = res.Apply(in.Request)
			if verifierClock != nil && check.Context.Time == "" {
				if now := verifierClock(check.Request); now != "" {
					check.Context.Time = now
				}
			}
			verdict := s.Verify(check, "")
			signed := sigconform.Input{Scheme: in.Scheme, Request: check.Request,
				Credentials: sigconform.Credentials{SecretKey: in.Credentials.SecretKey}}
			id, err := sigconform.IdentifySigned(s, signed)
			if err != nil {
				if verdict.Reason != sigconform.MissingParameter {
					t.Errorf("%s %q: Explain: %v", c.ID, name, err)
				}
				continue
			}
			if !sigconform.SameMAC(id.Given, res.Signature) {
				t.Errorf("%s %q: Given = %q, the request carries %q", c.ID, name, id.Given, res.Signature)
			}
			if !sigconform.SameMAC(id.Reference.Signature, ref.Signature) || !slices.Equal(id.Reference.Stages, ref.Stages) {
				t.Errorf("%s %q: reference explanation %+v, reference signs %+v", c.ID, name, id.Reference, ref)
			}
			if verdict.Reason != sigconform.Expired && verdict.Accept != id.Right() {
				t.Errorf("%s %q: Verify %+v, but Given %q, reference %q", c.ID, name, verdict, id.Given, id.Reference.Signature)
			}
			if name == "" || id.Right() {
				continue
			}
			i := slices.IndexFunc(id.Matches, func(m sigconform.Match) bool { return m.Variant.Name == name })
			switch {
			case i < 0:
				t.Errorf("%s %q: the variant that signed is not identified (identified: %v)", c.ID, name, id.Names())
			case !slices.Equal(id.Matches[i].Stages, res.Stages):
				t.Errorf("%s %q: variant explanation %+v, the variant signed %+v", c.ID, name, id.Matches[i].Stages, res.Stages)
			}
		}
	}
}
