// Package vectest runs chosen embedded vectors against an adapter's
// implementation in-process, for the adapters' go tests.
package vectest

import (
	"context"
	"testing"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// Run runs the embedded cases with the given ids against impl through
// suites.Runner and returns each case's result by id. It fails the test if
// an id is unknown.
func Run(t *testing.T, impl adapter.Impl, ids ...string) map[string]suites.CaseResult {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatalf("loading embedded vectors: %v", err)
	}
	byID := map[string]*vectors.Case{}
	for _, c := range set.Cases() {
		byID[c.ID] = c
	}
	var cases []*vectors.Case
	for _, id := range ids {
		c, ok := byID[id]
		if !ok {
			t.Fatalf("no embedded case %s", id)
		}
		cases = append(cases, c)
	}
	r := &suites.Runner{Signer: impl, Verifier: impl}
	rep := r.Run(context.Background(), cases)
	out := map[string]suites.CaseResult{}
	for _, res := range rep.Cases {
		out[res.ID] = res
	}
	return out
}

// Want checks that each id has the wanted status and, for a failure, the
// wanted first divergent field ("" to not check it).
func Want(t *testing.T, got map[string]suites.CaseResult, status suites.Status, stage string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		res := got[id]
		if res.Status != status {
			t.Errorf("%s: status %s, want %s (stage %q, error %q, mismatches %+v)", id, res.Status, status, res.Stage, res.Error, res.Mismatches)
			continue
		}
		if stage != "" && res.Stage != stage {
			t.Errorf("%s: first divergence at %q, want %q", id, res.Stage, stage)
		}
	}
}
