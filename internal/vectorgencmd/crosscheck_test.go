package vectorgencmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

func writeReport(t *testing.T, dir, impl string, cases ...suites.CaseResult) {
	t.Helper()
	b, err := json.Marshal(suites.JSONReport{Format: suites.ReportFormat, Implementation: impl, Cases: cases})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, strings.Fields(impl)[0]+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func genCase(id, sig string) vectors.Case {
	return vectors.Case{ID: id, Kind: vectors.Sign, Source: vectors.Generated, Expected: vectors.Outcome{Signature: sig}}
}

func TestCrossCheckMarks(t *testing.T) {
	dir := t.TempDir()
	pass := func(id, exp string) suites.CaseResult {
		return suites.CaseResult{ID: id, Status: suites.Pass, Expected: exp}
	}
	writeReport(t, dir, "alpha 1.0", pass("s/t/two", "SIG2"), pass("s/t/one", "SIG1"), pass("s/t/stale", "OLD"),
		suites.CaseResult{ID: "s/t/variant", Status: suites.Fail, Expected: "SIG4", Stage: "signature", Variant: &suites.VariantMatch{Name: "v"}})
	writeReport(t, dir, "beta 2.0", pass("s/t/two", "SIG2"), pass("s/t/stale", "OLD"),
		suites.CaseResult{ID: "s/t/one", Status: suites.Skip, Expected: "SIG1"},
		pass("s/t/variant", "SIG4"))
	cc, err := loadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &vectors.File{Cases: []vectors.Case{
		genCase("s/t/two", "SIG2"), genCase("s/t/one", "SIG1"), genCase("s/t/stale", "NEW"), genCase("s/t/variant", "SIG4"), genCase("s/t/none", "SIG5"),
	}}
	cc.mark(f)
	want := []struct {
		source    vectors.Source
		checkedBy string
		unchecked string
	}{
		{vectors.CrossChecked, "alpha 1.0,beta 2.0", ""},
		{vectors.Generated, "", "reproduced by alpha 1.0 only; cannot express it: beta 2.0"},
		// The reports ran against an older expected value: not evidence.
		{vectors.Generated, "", "not run by any of the implementations in the conformance run"},
		{vectors.Generated, "", "reproduced by beta 2.0 only; differs: alpha 1.0 (as variant v)"},
		{vectors.Generated, "", "not run by any of the implementations in the conformance run"},
	}
	for i, w := range want {
		c := f.Cases[i]
		if c.Source != w.source || strings.Join(c.CheckedBy, ",") != w.checkedBy || c.Unchecked != w.unchecked {
			t.Errorf("%s: got %s %v %q, want %s %s %q", c.ID, c.Source, c.CheckedBy, c.Unchecked, w.source, w.checkedBy, w.unchecked)
		}
	}
	if len(cc.surprises) != 0 {
		t.Errorf("surprises: %v", cc.surprises)
	}
}

// A divergence no variant explains fails vectorgen unless it is listed as
// being investigated.
func TestCrossCheckSurprises(t *testing.T) {
	dir := t.TempDir()
	writeReport(t, dir, "alpha 1.0", suites.CaseResult{ID: "s/t/one", Status: suites.Fail, Expected: "SIG1", Stage: "stage canonical_request"})
	cc, err := loadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	cc.mark(&vectors.File{Cases: []vectors.Case{genCase("s/t/one", "SIG1")}})
	if len(cc.surprises) != 1 || !strings.Contains(cc.surprises[0], "s/t/one: alpha 1.0 diverges at stage canonical_request") {
		t.Fatalf("surprises: %v", cc.surprises)
	}
	if err := os.WriteFile(filepath.Join(dir, investigatingName), []byte("alpha\ts/t/*\tbeing looked into\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cc, err = loadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	cc.mark(&vectors.File{Cases: []vectors.Case{genCase("s/t/one", "SIG1")}})
	if len(cc.surprises) != 0 {
		t.Fatalf("acknowledged divergence still fails: %v", cc.surprises)
	}
}

// Implementations that share code count once.
func TestCrossCheckLineage(t *testing.T) {
	dir := t.TempDir()
	pass := suites.CaseResult{ID: "s/t/one", Status: suites.Pass, Expected: "SIG1"}
	writeReport(t, dir, "alpha 1.0", pass)
	writeReport(t, dir, "beta 2.0", pass)
	if err := os.WriteFile(filepath.Join(dir, lineageName), []byte("alpha, beta\tbeta was copied from alpha\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cc, err := loadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &vectors.File{Cases: []vectors.Case{genCase("s/t/one", "SIG1")}}
	cc.mark(f)
	c := f.Cases[0]
	if c.Source != vectors.Generated || c.Unchecked != "reproduced only by implementations that share code: alpha 1.0, beta 2.0" {
		t.Fatalf("got %s %q", c.Source, c.Unchecked)
	}
}

// A conform probe report beside the run reports (a live verifier's) is
// requests sent to a server, not vector results: it neither counts as an
// implementation nor marks a case.
func TestCrossCheckSkipsProbeReports(t *testing.T) {
	dir := t.TempDir()
	writeReport(t, dir, "alpha 1.0", suites.CaseResult{ID: "s/t/one", Status: suites.Pass, Expected: "SIG1"})
	probe := `{"format": "sigconform-probe/v1", "implementation": "server 1", "scheme": "s", "results": [{"id": "s/t/one#valid", "case": "s/t/one"}]}`
	if err := os.WriteFile(filepath.Join(dir, "server.json"), []byte(probe), 0o644); err != nil {
		t.Fatal(err)
	}
	cc, err := loadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cc.impls != 1 {
		t.Errorf("%d implementations, want 1: the probe report counted", cc.impls)
	}
	if _, ok := cc.byID["s/t/one#valid"]; ok {
		t.Error("the probe report's request was taken for a case")
	}
}
