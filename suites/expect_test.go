package suites_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// lowerSort is the reference sorting CloudStack's parameters after
// lowercasing their names, as the developer guide says and the server does
// not: a few CloudStack sign cases diverge, most pass.
var lowerSort = suites.Reference{Variants: []string{"cloudstack:lowercase-then-sort"}}

func cloudstackSign(t *testing.T) []*vectors.Case {
	return embedded(t, suites.Filter{Schemes: []string{"cloudstack"}, Kinds: []vectors.Kind{vectors.Sign}})
}

func parse(t *testing.T, text string) *suites.Expectations {
	t.Helper()
	e, err := suites.ParseExpectations("known.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The file a run writes is one the same run meets: every failure known,
// exit 0.
func TestWrittenExpectationsAreMet(t *testing.T) {
	cases := cloudstackSign(t)
	rep := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cases)
	fails := rep.Total().Fail
	if fails == 0 {
		t.Fatal("the variant diverges nowhere: the test tests nothing")
	}
	var buf bytes.Buffer
	if err := rep.WriteExpectations(&buf, "lowercase-then-sort\nfrom a test"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "# lowercase-then-sort\n# from a test\n") {
		t.Errorf("header: %q", buf.String()[:60])
	}
	e := parse(t, buf.String())
	if e.Len() != fails {
		t.Errorf("%d lines for %d failures", e.Len(), fails)
	}
	set, _ := vectors.Embedded()
	rep.Expect(e, set)
	tot := rep.Total()
	if tot.Known != fails || tot.Fail != 0 || tot.Pass+tot.Known != tot.Cases {
		t.Errorf("counts %+v", tot)
	}
	if len(rep.Expectations.Unmet) != 0 || rep.ExitCode() != suites.ExitConformant {
		t.Errorf("unmet %v, exit %d", rep.Expectations.Unmet, rep.ExitCode())
	}
}

// Each way a list can stop holding fails the run and is named: a listed
// case that passes, one that diverges for another cause, an id no case
// has, and an unlisted failure.
func TestUnmetExpectations(t *testing.T) {
	cases := cloudstackSign(t)
	failing, passing := lowerSortOutcomes(t, cases)
	if len(failing) < 3 || len(passing) < 1 {
		t.Fatalf("%d failing, %d passing", len(failing), len(passing))
	}
	cause := "diverges at stage command_string: matches known variant lowercase-then-sort"
	text := "# a comment\n\n" +
		failing[0] + "  " + cause + "\n" + // met
		failing[1] + "\tdiverges at stage command_string: matches known variant plus-for-space\n" + // changed
		passing[0] + "  " + cause + "\n" + // fixed
		"cloudstack/no/such-case  " + cause + "\n" // unknown id
	// failing[2:] are unlisted.
	set, _ := vectors.Embedded()
	rep := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cases)
	rep.Expect(parse(t, text), set)
	tot := rep.Total()
	if tot.Known != 1 || tot.Fail != len(failing)-1 {
		t.Errorf("counts %+v, want 1 known and %d failures", tot, len(failing)-1)
	}
	want := []suites.Unmet{
		{ID: failing[1], Line: 4, Problem: suites.Changed, Listed: "diverges at stage command_string: matches known variant plus-for-space", Got: cause},
		{ID: passing[0], Line: 5, Problem: suites.Fixed, Listed: cause},
		{ID: "cloudstack/no/such-case", Line: 6, Problem: suites.UnknownID, Listed: cause},
	}
	if got := rep.Expectations.Unmet; !slices.Equal(got, want) {
		t.Errorf("unmet:\n got %+v\nwant %+v", got, want)
	}
	if rep.ExitCode() != suites.ExitDiverged {
		t.Errorf("exit %d", rep.ExitCode())
	}

	// Only the fixed case: still exit 1, so that the list cannot rot.
	rep = (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cases)
	var all bytes.Buffer
	rep.WriteExpectations(&all, "all")
	rep.Expect(parse(t, all.String()+passing[0]+" "+cause+"\n"), set)
	if rep.Total().Fail != 0 || rep.ExitCode() != suites.ExitDiverged {
		t.Errorf("a fixed case alone: counts %+v, exit %d", rep.Total(), rep.ExitCode())
	}

	var txt bytes.Buffer
	rep.WriteText(&txt)
	for _, s := range []string{"known.txt: " + strconv.Itoa(len(failing)) + " known divergences met", "1 listed cases that pass now", "known.txt:" + strconv.Itoa(strings.Count(all.String(), "\n")+1) + ": " + passing[0]} {
		if !strings.Contains(txt.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, txt.String())
		}
	}
}

// lowerSortOutcomes runs lowerSort over cases and returns the ids that
// fail and those that do not.
func lowerSortOutcomes(t *testing.T, cases []*vectors.Case) (failing, passing []string) {
	rep := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cases)
	for _, c := range rep.Cases {
		if c.Status == suites.Fail {
			failing = append(failing, c.ID)
		} else {
			passing = append(passing, c.ID)
		}
	}
	return failing, passing
}

func TestParseExpectationsErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a/b  cause\na/b  cause\n", "known.txt:2: a/b is listed twice (first at line 1)"},
		{"# c\na/b\n", "known.txt:2: a/b: no cause after the case id"},
	} {
		_, err := suites.ParseExpectations("known.txt", []byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
	// Spacing inside a cause is not significant: a person may realign it.
	e := parse(t, "a/b \t diverges   at\tsignature\n")
	_ = e
}

// A broken case is never a known divergence: listed, it is an expectation
// not met, and -write-expect leaves it out, so that an adapter that
// crashes cannot be written into a green run.
func TestBrokenIsNeverKnown(t *testing.T) {
	cases := cloudstackSign(t)[:6]
	crashOn := cases[0].ID
	signer := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		if in.ID == crashOn {
			panic("boom")
		}
		return lowerSort.Sign(ctx, in)
	})
	rep := (&suites.Runner{Signer: signer}).Run(context.Background(), cases)
	var list bytes.Buffer
	rep.WriteExpectations(&list, "written")
	if strings.Contains(list.String(), crashOn) {
		t.Errorf("the broken case was written as expected:\n%s", list.String())
	}
	rep.Expect(parse(t, list.String()+crashOn+"  implementation broke: implementation panicked\n"), nil)
	tot := rep.Total()
	if tot.Broken != 1 || tot.Known != 0 || rep.ExitCode() != suites.ExitBroken {
		t.Errorf("counts %+v, exit %d: the listed crash was taken as known", tot, rep.ExitCode())
	}
	if u := rep.Expectations.Unmet; len(u) != 1 || u[0].Problem != suites.Changed {
		t.Errorf("unmet %+v", u)
	}
}

// The JSON and JUnit reports carry the known divergences apart.
func TestReportsCountKnownApart(t *testing.T) {
	rep := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cloudstackSign(t))
	var all bytes.Buffer
	rep.WriteExpectations(&all, "all")
	rep.Expect(parse(t, all.String()), nil)
	known := rep.Total().Known

	var js bytes.Buffer
	rep.WriteJSON(&js)
	var out suites.JSONReport
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Total.Known != known || out.Total.Fail != 0 || out.Expectations == nil || out.Expectations.File != "known.txt" {
		t.Errorf("json total %+v, expectations %+v", out.Total, out.Expectations)
	}

	var ju bytes.Buffer
	rep.WriteJUnit(&ju)
	var doc struct {
		Failures  int    `xml:"failures,attr"`
		Skipped   int    `xml:"skipped,attr"`
		Timestamp string `xml:"timestamp,attr"`
		Time      string `xml:"time,attr"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Failures != 0 || doc.Skipped != known {
		t.Errorf("junit failures=%d skipped=%d, want 0 and %d", doc.Failures, doc.Skipped, known)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`).MatchString(doc.Timestamp) {
		t.Errorf("junit timestamp %q", doc.Timestamp)
	}
	if s, _ := strconv.ParseFloat(doc.Time, 64); s <= 0 {
		t.Errorf("junit time %q: the run took no time?", doc.Time)
	}
}

// TestSigner with expectations, seen from outside: the test binary runs a
// fixture test in a child process, and its verbose output is checked.
func TestTestSignerWithExpectations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cases := cloudstackSign(t)
	failing, passing := lowerSortOutcomes(t, cases)
	cause := "diverges at stage command_string: matches known variant lowercase-then-sort"
	// All failures known but the last; one passing case listed.
	var list strings.Builder
	for _, id := range failing[:len(failing)-1] {
		list.WriteString(id + "  " + cause + "\n")
	}
	list.WriteString(passing[0] + "  " + cause + "\n")
	file := filepath.Join(t.TempDir(), "known.txt")
	os.WriteFile(file, []byte(list.String()), 0o644)

	cmd := exec.Command(os.Args[0], "-test.run", "^TestExpectationsFixture$", "-test.v")
	cmd.Env = append(os.Environ(), "SIGCONFORM_FIXTURE="+file)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the fixture passed:\n%s", out)
	}
	text := string(out)
	for _, s := range []string{
		"--- PASS: TestExpectationsFixture/" + failing[0] + " ",
		"known divergence, as " + file + " lists it: " + cause,
		"--- FAIL: TestExpectationsFixture/" + failing[len(failing)-1] + " ",
		"--- FAIL: TestExpectationsFixture/" + passing[0] + " ",
		"passes now, but " + file + ":" + strconv.Itoa(len(failing)) + " lists it as a known divergence: remove the line",
		"summary:",
		"cloudstack: " + cause + " (1 case, e.g. " + failing[len(failing)-1] + ")",
		failing[len(failing)-1] + "  " + cause,
		fixtureLine,
	} {
		if !strings.Contains(text, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", text)
	}
}

// fixtureLine is where TestExpectationsFixture calls TestSigner: failures
// must point there, not into package suites.
var fixtureLine = func() string {
	_, file, _, _ := runtime.Caller(0)
	src, _ := os.ReadFile(file)
	before, _, _ := strings.Cut(string(src), "suites.TestSigner(t, "+"lowerSort,")
	return filepath.Base(file) + ":" + strconv.Itoa(strings.Count(before, "\n")+1)
}()

func TestExpectationsFixture(t *testing.T) {
	file := os.Getenv("SIGCONFORM_FIXTURE")
	if file == "" {
		t.Skip("run by TestTestSignerWithExpectations")
	}
	e, err := suites.ReadExpectations(file)
	if err != nil {
		t.Fatal(err)
	}
	suites.TestSigner(t, lowerSort, suites.Filter{Schemes: []string{"cloudstack"}, Expect: e})
}
