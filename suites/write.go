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

	"github.com/google/go-cmp/cmp"
)

// WriteText writes the report for a person: a table per scheme and kind,
// then the divergences grouped by cause, each group with its cases and one
// worked example.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "scheme\tkind\tcases\tpass\tfail\tskip\tbroken\tfailed at")
	for _, sc := range r.ByScheme() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", sc.Scheme, sc.Kind, sc.Cases, sc.Pass, sc.Fail, sc.Skip, sc.Broken, stageSummary(sc.Stages))
	}
	t := r.Total()
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%d\t\n", t.Cases, t.Pass, t.Fail, t.Skip, t.Broken)
	tw.Flush()
	for _, g := range r.Groups() {
		fmt.Fprintf(ew, "\n%s: %s (%d %s)\n", g.Scheme, g.Cause, len(g.Cases), plural(len(g.Cases), "case", "cases"))
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
	return ew.err
}

func writeExample(w io.Writer, c *CaseResult) {
	if c.Status == Broken || c.Status == Skip {
		fmt.Fprintf(w, "  e.g. %s: %s\n", c.ID, c.Error)
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
	Cases          []CaseResult   `json:"cases"`
}

// ReportFormat is the value of JSONReport.Format.
const ReportFormat = "sigconform-report/v1"

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	out := JSONReport{Format: ReportFormat, Implementation: r.Implementation, Total: r.Total(), Schemes: r.ByScheme(), Cases: r.Cases}
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

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
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

// WriteJUnit writes JUnit XML: a testsuite per scheme and kind, a testcase
// per vector id.
func (r *Report) WriteJUnit(w io.Writer) error {
	t := r.Total()
	out := junitSuites{Name: "sigconform", Tests: t.Cases, Failures: t.Fail, Errors: t.Broken, Skipped: t.Skip}
	idx := map[string]int{}
	for i := range r.Cases {
		c := &r.Cases[i]
		name := c.Scheme + "." + string(c.Kind)
		j, ok := idx[name]
		if !ok {
			j = len(out.Suites)
			idx[name] = j
			out.Suites = append(out.Suites, junitSuite{Name: name})
		}
		s := &out.Suites[j]
		s.Tests++
		jc := junitCase{Name: c.ID, Classname: name, Time: fmt.Sprintf("%.6f", c.Duration.Seconds())}
		switch c.Status {
		case Fail:
			s.Failures++
			jc.Failure = &junitMessage{Message: c.Cause(), Body: failureBody(c)}
		case Broken:
			s.Errors++
			jc.Error = &junitMessage{Message: c.Cause(), Body: c.Error}
		case Skip:
			s.Skipped++
			jc.Skipped = &junitMessage{Message: c.Error}
		}
		s.Cases = append(s.Cases, jc)
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
