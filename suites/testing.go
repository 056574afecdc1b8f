package suites

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// TestSigner runs every embedded sign case selected by f (all, when f is
// the zero Filter) against s, one subtest per case id. A failing subtest
// says where the signer diverged and which known variant it matches; a case
// the signer reports unsupported is skipped.
//
// With f.Expect, a case that diverges as listed passes, logging that it is
// a known divergence, and one that passes or diverges otherwise fails; a
// listed id that no embedded case has fails the test itself. The test ends
// with the failures counted by cause, and the lines an expectations file
// would need to accept them.
func TestSigner(t *testing.T, s Signer, f Filter) {
	t.Helper()
	f.Kinds = []vectors.Kind{vectors.Sign}
	runTests(t, &Runner{Signer: s}, f)
}

// TestVerifier runs every embedded verify case selected by f against v, one
// subtest per case id, as TestSigner does.
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
	if e := f.Expect; e != nil {
		ids := map[string]bool{}
		for _, c := range set.Cases() {
			ids[c.ID] = true
		}
		for _, id := range e.order {
			if !ids[id] {
				t.Errorf("%s:%d: %s: no embedded case has this id (removed from the vectors, or misspelt)", e.File, e.entries[id].line, id)
			}
		}
	}
	// Each case runs in its subtest, so that go test -run selects cases
	// by id without running the others.
	rep := &Report{}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			// With t.Helper here and in the functions above, a failure
			// is reported at the line that called TestSigner.
			t.Helper()
			res := r.runCase(context.Background(), c)
			res.Known = f.Expect.covers(&res)
			rep.Cases = append(rep.Cases, res)
			reportCase(t, &res, f.Expect)
		})
	}
	logSummary(t, rep)
}

// reportCase passes or fails one subtest.
func reportCase(t *testing.T, res *CaseResult, e *Expectations) {
	t.Helper()
	if res.Known {
		t.Logf("known divergence, as %s lists it: %s", e.File, res.Cause())
		return
	}
	x, isListed := e.lookup(res.ID)
	listed := ""
	if isListed {
		listed = fmt.Sprintf("\n%s:%d lists it as: %s", e.File, x.line, x.cause)
	}
	switch res.Status {
	case Pass:
		if isListed {
			t.Errorf("%s: passes now, but %s:%d lists it as a known divergence: remove the line", res.Pos, e.File, x.line)
		}
	case Skip:
		if isListed {
			t.Errorf("%s: skipped (%s)%s", res.Pos, res.Error, listed)
			return
		}
		t.Skip(res.Error)
	case Broken:
		t.Fatalf("%s: %s%s", res.Pos, res.Error, listed)
	case Fail:
		var b strings.Builder
		b.WriteString(res.Cause() + "\n")
		writeExample(&b, res)
		t.Errorf("%s:\n%s%s", res.Pos, b.String(), listed)
	}
}

// logSummary ends the test with what the CLI's report ends with: the
// failures grouped by cause. When there are some, it gives the lines that
// would make them known divergences, ready to paste into a file for
// Filter.Expect.
func logSummary(t *testing.T, rep *Report) {
	t.Helper()
	groups := rep.Groups()
	if len(groups) == 0 {
		return
	}
	var b strings.Builder
	tot := rep.Total()
	fmt.Fprintf(&b, "%d cases: %d passed, %d failed, %d broken, %d skipped, %d known divergences\n", tot.Cases, tot.Pass, tot.Fail, tot.Broken, tot.Skip, tot.Known)
	for _, g := range groups {
		fmt.Fprintf(&b, "  %s: %s (%d %s, e.g. %s)\n", g.Scheme, g.Cause, len(g.Cases), plural(len(g.Cases), "case", "cases"), g.Cases[0].ID)
	}
	var lines strings.Builder
	unknown := &Report{}
	for i := range rep.Cases {
		if cr := &rep.Cases[i]; !cr.Known && cr.Status == Fail {
			unknown.Cases = append(unknown.Cases, *cr)
		}
	}
	if len(unknown.Cases) > 0 {
		_ = unknown.WriteExpectations(&lines, "Lines for an expectations file (Filter.Expect), if these divergences are known:")
		b.WriteString("\n" + lines.String())
	}
	t.Log("summary:\n" + b.String())
}
