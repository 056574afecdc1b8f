package suites_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

func embedded(t *testing.T, f suites.Filter) []*vectors.Case {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := f.Select(set)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	return cases
}

// The reference passes every embedded vector through the Go API.
func TestReferenceSigner(t *testing.T) { suites.TestSigner(t, suites.Reference{}, suites.Filter{}) }

func TestReferenceVerifier(t *testing.T) { suites.TestVerifier(t, suites.Reference{}, suites.Filter{}) }

// A signer that writes CloudStack signatures in URL-safe Base64 is told
// which known variant it is, and where it diverged.
func TestDiagnosisNamesVariant(t *testing.T) {
	cases := embedded(t, suites.Filter{Schemes: []string{"cloudstack"}, Kinds: []vectors.Kind{vectors.Sign}})
	r := &suites.Runner{Signer: suites.Reference{Variants: []string{"urlsafe-base64"}}}
	rep := r.Run(context.Background(), cases)
	for _, c := range rep.Cases {
		if c.Status != suites.Fail {
			t.Errorf("%s: status %s, want fail", c.ID, c.Status)
			continue
		}
		if c.Variant == nil || c.Variant.Name != "urlsafe-base64" {
			t.Errorf("%s: variant %+v, want urlsafe-base64", c.ID, c.Variant)
		}
		if c.Stage != "signature" {
			t.Errorf("%s: stage %q, want signature", c.ID, c.Stage)
		}
	}
	if rep.ExitCode() != suites.ExitDiverged {
		t.Errorf("exit code %d", rep.ExitCode())
	}
}

// A signer that writes the right MAC in another form, matching no named
// variant, is told that it has the right MAC.
func TestDiagnosisSameMAC(t *testing.T) {
	cases := embedded(t, suites.Filter{Schemes: []string{"zstack"}, Kinds: []vectors.Kind{vectors.Sign}})
	hexSigner := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		r, err := suites.Reference{}.Sign(ctx, in)
		r.Signature = strings.TrimRight(r.Signature, "=")
		return r, err
	})
	rep := (&suites.Runner{Signer: hexSigner}).Run(context.Background(), cases[:1])
	c := rep.Cases[0]
	if c.Status != suites.Fail || c.Encoding != "the right MAC, written as standard Base64 without padding" {
		t.Fatalf("got status %s, encoding %q", c.Status, c.Encoding)
	}
}

// TestDiagnosisNoVariant: on the SigV4 POST-with-a-query cases, where
// post-query-ignored also departs from the reference, that variant is named
// only for the output it produces; for any other divergence the report says
// that no known variant reproduces it, for a verifier as for a signer.
func TestDiagnosisNoVariant(t *testing.T) {
	const pqi = "post-query-ignored"
	signCase := embedded(t, suites.Filter{IDs: regexp.MustCompile(`^sigv4/methods/post-query$`)})
	verifyCase := embedded(t, suites.Filter{IDs: regexp.MustCompile(`^sigv4/verify/post-query-valid$`)})
	signer := func(variant, signature string) suites.Signer {
		return suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
			r, err := suites.Reference{Variants: []string{variant}}.Sign(ctx, in)
			if signature != "" {
				r = sigconform.Result{Signature: signature}
			}
			return r, err
		})
	}
	verifier := func(v sigconform.Verdict) suites.Verifier {
		return suites.VerifierFunc(func(context.Context, sigconform.Input) (sigconform.Verdict, error) { return v, nil })
	}
	for _, tc := range []struct {
		name    string
		run     suites.Runner
		cases   []*vectors.Case
		variant string
	}{
		{"signed as post-query-ignored", suites.Runner{Signer: signer(pqi, "")}, signCase, pqi},
		{"another signature", suites.Runner{Signer: signer("", strings.Repeat("0", 64))}, signCase, ""},
		{"refused as post-query-ignored refuses", suites.Runner{Verifier: verifier(sigconform.Rejected(sigconform.BadSignature, ""))}, verifyCase, pqi},
		{"refused for another reason", suites.Runner{Verifier: verifier(sigconform.Rejected(sigconform.Malformed, ""))}, verifyCase, ""},
	} {
		rep := tc.run.Run(context.Background(), tc.cases)
		c := rep.Cases[0]
		if c.Status != suites.Fail {
			t.Errorf("%s: status %s, want fail", tc.name, c.Status)
			continue
		}
		got := ""
		if c.Variant != nil {
			got = c.Variant.Name
		}
		if got != tc.variant {
			t.Errorf("%s: variant %q, want %q", tc.name, got, tc.variant)
		}
		if tc.variant == "" && !strings.HasSuffix(c.Cause(), ": matches no known variant") {
			t.Errorf("%s: cause %q does not say that no known variant reproduces it", tc.name, c.Cause())
		}
	}
}

// An implementation that panics, hangs, errors or declines is reported,
// and the run goes on.
//
// Two runs, because one Timeout bounds every call: the calls that answer
// run with a deadline that must not fire, a minute, so that a busy machine
// cannot turn a quick answer into "no answer"; the calls that hang run
// with a short one, which must fire and can be short because the hang is
// certain.
func TestRunnerSurvivesBrokenImplementations(t *testing.T) {
	t.Parallel() // waits out deadlines and grace periods: let it overlap
	cases := embedded(t, suites.Filter{Kinds: []vectors.Kind{vectors.Sign}})[:3]
	var calls atomic.Int32
	signer := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		switch calls.Add(1) {
		case 1:
			panic("boom")
		case 2:
			return sigconform.Result{}, errors.New("cannot")
		}
		return sigconform.Result{}, suites.ErrUnsupported
	})
	rep := (&suites.Runner{Signer: signer, Timeout: time.Minute}).Run(context.Background(), cases)
	want := []suites.Status{suites.Broken, suites.Broken, suites.Skip}
	for i, c := range rep.Cases {
		if c.Status != want[i] {
			t.Errorf("case %d: %s (%s), want %s", i, c.Status, c.Error, want[i])
		}
	}
	if !strings.Contains(rep.Cases[0].Error, "panicked: boom") || !strings.Contains(rep.Cases[1].Error, "cannot") {
		t.Errorf("errors: %q, %q", rep.Cases[0].Error, rep.Cases[1].Error)
	}
	if rep.ExitCode() != suites.ExitBroken {
		t.Errorf("exit code %d, want %d", rep.ExitCode(), suites.ExitBroken)
	}

	// Every call hangs, ignoring ctx. The hung call is abandoned, not
	// ended: it still runs when the next call starts on another goroutine,
	// so the count is atomic. The second call is made at all only if the
	// runner did not wait for the first.
	var hung atomic.Int32
	hang := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		hung.Add(1)
		select {}
	})
	start := time.Now()
	rep = (&suites.Runner{Signer: hang, Timeout: 50 * time.Millisecond}).Run(context.Background(), cases[:2])
	// Two 50 ms deadlines: anything near a minute means the runner waited
	// for a hung call (the bound is loose for busy CI).
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("run took %v", d)
	}
	if n := hung.Load(); n != 2 {
		t.Errorf("%d calls, want 2: the run did not go on past the hung call", n)
	}
	for i, c := range rep.Cases {
		if c.Status != suites.Broken || !strings.Contains(c.Error, "no answer within 50ms") {
			t.Errorf("hung case %d: %s (%s), want broken with no answer within 50ms", i, c.Status, c.Error)
		}
	}
}

// Progress counts every case once, in order, up to the total: the cases
// skipped without a call, the one whose call hangs, the one that errors and
// the ones not run after MaxBroken. No call here must beat the short
// timeout: the skipped cases make no call, the hang is certain to time
// out, and the error is a broken case whether or not it answers in time.
func TestRunnerProgress(t *testing.T) {
	t.Parallel() // waits out deadlines and grace periods: let it overlap
	cases := append(embedded(t, suites.Filter{Kinds: []vectors.Kind{vectors.Verify}})[:2],
		embedded(t, suites.Filter{Kinds: []vectors.Kind{vectors.Sign}})[:4]...)
	var calls atomic.Int32
	signer := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		if calls.Add(1) == 1 {
			select {} // hangs, ignoring ctx
		}
		return sigconform.Result{}, errors.New("cannot")
	})
	// Written by Progress and read after Run returns: -race says whether
	// Progress is called on Run's goroutine as documented.
	var got []int
	r := &suites.Runner{
		Signer:    signer,
		Timeout:   50 * time.Millisecond,
		MaxBroken: 2,
		Progress: func(done, total int) {
			if total != len(cases) {
				t.Errorf("total %d, want %d", total, len(cases))
			}
			got = append(got, done)
		},
	}
	rep := r.Run(context.Background(), cases)
	if len(rep.Cases) != len(cases) || len(got) != len(cases) {
		t.Fatalf("%d cases reported, progress %v; want %d", len(rep.Cases), got, len(cases))
	}
	for i, n := range got {
		if n != i+1 {
			t.Errorf("progress %v, want 1 to %d in order", got, len(cases))
			break
		}
	}
	want := []suites.Status{suites.Skip, suites.Skip, suites.Broken, suites.Broken, suites.Broken, suites.Broken}
	for i, c := range rep.Cases {
		if c.Status != want[i] {
			t.Errorf("case %d: %s (%s), want %s", i, c.Status, c.Error, want[i])
		}
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2: after MaxBroken broken cases the rest are not run", n)
	}
}

// A run with no verifier skips the verify cases and says why.
func TestMissingImplementationIsSkipNotPass(t *testing.T) {
	cases := embedded(t, suites.Filter{Schemes: []string{"zstack"}})
	rep := (&suites.Runner{Signer: suites.Reference{}}).Run(context.Background(), cases)
	tot := rep.Total()
	if tot.Skip == 0 || tot.Pass+tot.Skip != tot.Cases {
		t.Fatalf("counts %+v", tot)
	}
}

func sampleReport(t *testing.T) *suites.Report {
	cases := embedded(t, suites.Filter{Schemes: []string{"cloudstack", "zstack"}})
	ref := suites.Reference{Variants: []string{"urlsafe-base64"}}
	return (&suites.Runner{Signer: ref, Verifier: ref}).Run(context.Background(), cases)
}

// The JSON report matches the schema documented in docs/report.schema.json,
// with and without expectations.
func TestJSONReportMatchesSchema(t *testing.T) {
	rep := sampleReport(t)
	validateJSON(t, rep)
	var buf bytes.Buffer
	var out suites.JSONReport
	rep.WriteJSON(&buf)
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Total.Fail == 0 || len(out.Cases) != len(rep.Cases) {
		t.Fatalf("total %+v, %d cases", out.Total, len(out.Cases))
	}

	// Every kind of unmet expectation, and known divergences.
	var list bytes.Buffer
	rep.WriteExpectations(&list, "sample")
	list.WriteString("cloudstack/no/such-case  diverges at signature\n")
	for _, c := range rep.Cases {
		if c.Status == suites.Pass {
			list.WriteString(c.ID + "  diverges at signature\n")
			break
		}
	}
	e, err := suites.ParseExpectations("known.txt", list.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := vectors.Embedded()
	rep.Expect(e, set)
	if len(rep.Expectations.Unmet) < 2 || rep.Total().Known == 0 {
		t.Fatalf("unmet %v, counts %+v", rep.Expectations.Unmet, rep.Total())
	}
	validateJSON(t, rep)
}

func validateJSON(t *testing.T, rep *suites.Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Fatal(err)
	}
}

// The JUnit report is well-formed XML with one testcase per vector id.
func TestJUnitReport(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	seen := map[string]bool{}
	failures := 0
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if seen[c.Name] {
				t.Errorf("testcase %s twice", c.Name)
			}
			seen[c.Name] = true
			if c.Failure != nil {
				failures++
			}
		}
	}
	if len(seen) != len(rep.Cases) || doc.Tests != len(rep.Cases) {
		t.Errorf("%d testcases, tests=%d, want %d", len(seen), doc.Tests, len(rep.Cases))
	}
	if failures != rep.Total().Fail || doc.Failures != failures {
		t.Errorf("%d failures, failures=%d, want %d", failures, doc.Failures, rep.Total().Fail)
	}
}
