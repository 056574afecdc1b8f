package suites

import (
	"context"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// TestSigner runs every embedded sign case selected by f (all, when f is
// the zero Filter) against s, one subtest per case id. A failing subtest
// says where the signer diverged and which known variant it matches; a case
// the signer reports unsupported is skipped.
func TestSigner(t *testing.T, s Signer, f Filter) {
	t.Helper()
	f.Kinds = []vectors.Kind{vectors.Sign}
	runTests(t, &Runner{Signer: s}, f)
}

// TestVerifier runs every embedded verify case selected by f against v, one
// subtest per case id.
func TestVerifier(t *testing.T, v Verifier, f Filter) {
	t.Helper()
	f.Kinds = []vectors.Kind{vectors.Verify}
	runTests(t, &Runner{Verifier: v}, f)
}

func runTests(t *testing.T, r *Runner, f Filter) {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatalf("loading embedded vectors: %v", err)
	}
	cases := f.Select(set)
	if len(cases) == 0 {
		t.Fatal("the filter selects no case")
	}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			res := r.runCase(context.Background(), c)
			switch res.Status {
			case Skip:
				t.Skip(res.Error)
			case Broken:
				t.Fatalf("%s: %s", c.Pos(), res.Error)
			case Fail:
				var b strings.Builder
				rep := &Report{Cases: []CaseResult{res}}
				b.WriteString(res.Cause() + "\n")
				writeExample(&b, &rep.Cases[0])
				t.Errorf("%s:\n%s", c.Pos(), b.String())
			}
		})
	}
}
