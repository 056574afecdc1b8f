package suites

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// WriteText writes the report for a person: a table per scheme and kind,
// then the divergences grouped by cause, each group with its cases and one
// worked example.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
	// The known column shows only when there are expectations, so that a
	// plain run reads as it always did.
	known := r.Expectations != nil
	col := func(c Counts) string {
		if known {
			return fmt.Sprintf("\t%d", c.Known)
		}
		return ""
	}
	head := "scheme\tkind\tcases\tpass\tfail\tskip\tbroken"
	if known {
		head += "\tknown"
	}
	fmt.Fprintln(tw, head+"\tfailed at")
	for _, sc := range r.ByScheme() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d%s\t%s\n", sc.Scheme, sc.Kind, sc.Cases, sc.Pass, sc.Fail, sc.Skip, sc.Broken, col(sc.Counts), stageSummary(sc.Stages))
	}
	t := r.Total()
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%d%s\t\n", t.Cases, t.Pass, t.Fail, t.Skip, t.Broken, col(t))
	tw.Flush()
	if x := r.Expectations; x != nil {
		writeExpectations(ew, x, t.Known)
	}
	for _, g := range r.Groups() {
		fmt.Fprintf(ew, "\n%s: %s (%d %s)\n", g.Scheme, printable(g.Cause), len(g.Cases), plural(len(g.Cases), "case", "cases"))
		first := g.Cases[0]
		if v := first.Variant; v != nil {
			if v.Summary != "" {
				fmt.Fprintf(ew, "  %s: %s\n", v.Name, v.Summary)
			}
			for _, ref := range v.Refs {
				fmt.Fprintf(ew, "  see %s\n", ref)
			}
		}
		const listed = 10
		for i, c := range g.Cases {
			if i == listed {
				fmt.Fprintf(ew, "  ... and %d more\n", len(g.Cases)-listed)
				break
			}
			fmt.Fprintf(ew, "  %s  (%s)\n", c.ID, c.Pos)
		}
		writeExample(ew, first)
	}
	if kg := r.KnownGroups(); len(kg) > 0 {
		fmt.Fprintf(ew, "\nknown divergences, as %s lists them:\n", r.Expectations.File)
		for _, g := range kg {
			fmt.Fprintf(ew, "  %s: %s (%d %s)\n", g.Scheme, printable(g.Cause), len(g.Cases), plural(len(g.Cases), "case", "cases"))
		}
	}
	return ew.err
}

// writeExpectations says how the run met the expectations: first what no
// longer holds, since that is what fails the run, grouped by problem so
// that a hundred fixed cases are one paragraph.
func writeExpectations(w io.Writer, x *ExpectationsCheck, known int) {
	fmt.Fprintf(w, "\nexpectations %s: %d known %s met", x.File, known, plural(known, "divergence", "divergences"))
	if x.NotRun > 0 {
		fmt.Fprintf(w, "; %d listed %s not selected by this run", x.NotRun, plural(x.NotRun, "case", "cases"))
	}
	if len(x.Unmet) == 0 {
		fmt.Fprintln(w, "; nothing else listed")
		return
	}
	fmt.Fprintf(w, "; %d not met\n", len(x.Unmet))
	for _, g := range x.Groups() {
		us := g.Unmet
		fmt.Fprintf(w, "  %d %s:\n", len(us), g.Title)
		const listed = 10
		for i, u := range us {
			if i == listed {
				fmt.Fprintf(w, "    ... and %d more\n", len(us)-listed)
				break
			}
			fmt.Fprintf(w, "    %s:%d: %s\n", x.File, u.Line, u.ID)
			if u.Problem == Changed {
				fmt.Fprintf(w, "      listed: %s\n      now:    %s\n", u.Listed, u.Got)
			}
		}
	}
}

func writeExample(w io.Writer, c *CaseResult) {
	if c.Status == Broken || c.Status == Skip {
		fmt.Fprintf(w, "  e.g. %s: %s\n", c.ID, printable(c.Error))
		return
	}
	if len(c.Mismatches) == 0 {
		return
	}
	m := c.Mismatches[0]
	fmt.Fprintf(w, "  e.g. %s, %s:\n", c.ID, m.Field)
	WriteDiff(w, "    ", "want", "got", m.Want, m.Got)
}

// WriteDiff shows how got differs from want, each line prefixed by indent
// and the two named by their labels (say "want" and "got"), with spaces at
// the ends of lines, tabs and other invisible characters made visible.
// One-line strings are shown one above the other with a caret under the
// first difference; longer ones as a line diff.
func WriteDiff(w io.Writer, indent, wantLabel, gotLabel, want, got string) {
	if !strings.Contains(want, "\n") && !strings.Contains(got, "\n") {
		vw, vg := visible(want), visible(got)
		width := max(len(wantLabel), len(gotLabel))
		fmt.Fprintf(w, "%s%-*s %s\n%s%-*s %s\n", indent, width, wantLabel, vw, indent, width, gotLabel, vg)
		// A caret helps find one changed character in a long string; a
		// signature differs everywhere, and is at most 64 characters.
		if i := firstDifference(vw, vg); i >= 0 && len(vw) > 64 && len(vg) > 64 {
			fmt.Fprintf(w, "%s%s %s^ first difference, at character %d\n", indent, strings.Repeat(" ", width), strings.Repeat(" ", i), i+1)
		}
		return
	}
	diff := cmp.Diff(strings.Split(visible(want), "\n"), strings.Split(visible(got), "\n"))
	fmt.Fprintf(w, "%s(-%s +%s)\n", indent, wantLabel, gotLabel)
	for _, line := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		fmt.Fprintf(w, "%s%s\n", indent, line)
	}
}

// firstDifference is the index, in runes, of the first rune where a and b
// differ, or -1 when they are equal.
func firstDifference(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	for i := range min(len(ra), len(rb)) {
		if ra[i] != rb[i] {
			return i
		}
	}
	if len(ra) == len(rb) {
		return -1
	}
	return min(len(ra), len(rb))
}

// visible quotes a string so that spaces at the ends, tabs, carriage returns
// and other invisible characters show, keeping newlines as line breaks.
func visible(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		q := strconv.Quote(l)
		lines[i] = q[1 : len(q)-1]
		if strings.HasSuffix(l, " ") || strings.HasPrefix(l, " ") {
			lines[i] = "«" + lines[i] + "»"
		}
	}
	return strings.Join(lines, "\n")
}

func stageSummary(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// printable shows the control characters and invalid bytes of text written
// by the implementation under test as escapes (\x1b), so that a report
// read in a terminal cannot be rewritten by it. Line breaks and tabs stay.
func printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsControl(r):
			if r < 0x100 {
				fmt.Fprintf(&b, "\\x%02x", r)
			} else {
				fmt.Fprintf(&b, "\\u%04x", r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// errWriter keeps the first write error so that a report can be written
// with plain Fprintf calls and checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// JSONReport is the stable JSON form of a report, described by
// docs/report.schema.json.
type JSONReport struct {
	Format         string         `json:"format"`
	Implementation string         `json:"implementation,omitempty"`
	Total          Counts         `json:"total"`
	Schemes        []SchemeCounts `json:"schemes"`
	// Expectations is how the run met its expectations file, if it had
	// one.
	Expectations *ExpectationsCheck `json:"expectations,omitempty"`
	Cases        []CaseResult       `json:"cases"`
}

// ReportFormat is the value of JSONReport.Format.
const ReportFormat = "sigconform-report/v1"

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	out := JSONReport{Format: ReportFormat, Implementation: r.Implementation, Total: r.Total(), Schemes: r.ByScheme(), Expectations: r.Expectations, Cases: r.Cases}
	if out.Schemes == nil {
		out.Schemes = []SchemeCounts{}
	}
	if out.Cases == nil {
		out.Cases = []CaseResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// junitCounts are the attributes a testsuites and a testsuite element
// share.
type junitCounts struct {
	Tests     int    `xml:"tests,attr"`
	Failures  int    `xml:"failures,attr"`
	Errors    int    `xml:"errors,attr"`
	Skipped   int    `xml:"skipped,attr"`
	Time      string `xml:"time,attr"`
	Timestamp string `xml:"timestamp,attr,omitempty"`
}

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Cases   []junitCase   `xml:"testcase"`
	elapsed time.Duration // the sum of its cases' times
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }

// WriteJUnit writes JUnit XML: a testsuite per scheme and kind, a testcase
// per vector id, each with the time it took. JUnit has no expected
// failure: a known divergence is a skipped test saying so, and an
// expectation not met is a failure (a listed case that passes is a
// failure of its own test; a listed id that no case has, of a test in
// the suite "expectations").
func (r *Report) WriteJUnit(w io.Writer) error {
	unmet := map[string]Unmet{}
	for _, u := range r.Expectations.unmet() {
		unmet[u.ID] = u
	}
	out := junitSuites{Name: "sigconform", junitCounts: junitCounts{Time: seconds(r.Elapsed)}}
	stamp := ""
	if !r.Started.IsZero() {
		stamp = r.Started.UTC().Format("2006-01-02T15:04:05")
		out.Timestamp = stamp
	}
	idx := map[string]int{}
	suite := func(name string) *junitSuite {
		j, ok := idx[name]
		if !ok {
			j = len(out.Suites)
			idx[name] = j
			out.Suites = append(out.Suites, junitSuite{Name: name, junitCounts: junitCounts{Timestamp: stamp}})
		}
		return &out.Suites[j]
	}
	for i := range r.Cases {
		c := &r.Cases[i]
		u, isUnmet := unmet[c.ID]
		r.addJUnitCase(suite(c.Scheme+"."+string(c.Kind)), c, u, isUnmet)
	}
	for _, u := range r.Expectations.unmet() {
		if u.Problem != UnknownID {
			continue
		}
		s := suite("expectations")
		s.Tests++
		s.Failures++
		s.Cases = append(s.Cases, junitCase{Name: u.ID, Classname: "expectations", Time: seconds(0),
			Failure: &junitMessage{Message: "listed in " + r.Expectations.File + " but no case has this id", Body: u.String()}})
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.Time = seconds(s.elapsed)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// addJUnitCase adds case c to suite s as a JUnit test case, counting its
// outcome; u is the expectation it does not meet, if isUnmet.
func (r *Report) addJUnitCase(s *junitSuite, c *CaseResult, u Unmet, isUnmet bool) {
	s.Tests++
	s.elapsed += c.Duration
	jc := junitCase{Name: c.ID, Classname: s.Name, Time: seconds(c.Duration)}
	switch {
	case c.Known:
		s.Skipped++
		jc.Skipped = &junitMessage{Message: "known divergence: " + c.Cause()}
	case c.Status == Pass && isUnmet:
		s.Failures++
		jc.Failure = &junitMessage{Message: "fixed: listed as a known divergence in " + r.Expectations.File, Body: u.String()}
	case c.Status == Fail:
		s.Failures++
		jc.Failure = &junitMessage{Message: c.Cause(), Body: failureBody(c)}
		if isUnmet {
			jc.Failure.Body += u.String() + "\n"
		}
	case c.Status == Broken:
		s.Errors++
		jc.Error = &junitMessage{Message: c.Cause(), Body: c.Error}
		if isUnmet {
			jc.Error.Body += "\n" + u.String()
		}
	case c.Status == Skip && isUnmet:
		// Listed as a divergence and now skipped: the run fails on
		// it, so the report must not show a mere skip.
		s.Failures++
		jc.Failure = &junitMessage{Message: "skipped, but listed as a known divergence in " + r.Expectations.File, Body: c.Error + "\n" + u.String()}
	case c.Status == Skip:
		s.Skipped++
		jc.Skipped = &junitMessage{Message: c.Error}
	}
	s.Cases = append(s.Cases, jc)
}

func failureBody(c *CaseResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", c.Pos)
	for _, m := range c.Mismatches {
		fmt.Fprintf(&b, "%s:\n  want %q\n  got  %q\n", m.Field, m.Want, m.Got)
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
