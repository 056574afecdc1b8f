package conformcmd

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/server/probe"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

const matrixUsage = `usage: conform matrix [-out FILE] [-html FILE] [-not-installed FILE] REPORT.json...

Writes the conformance matrix, in Markdown, from the JSON reports of
conform run -format json -label NAME (one per implementation): where each
implementation stands per scheme and kind of case, the known variants its
divergences match, the divergences no variant explains, and the CloudStack
cases case by case. make conformance writes docs/implementations.md with it.
-html also writes one self-contained HTML page that shows every case of
every implementation, coloured by outcome, by scheme and topic
(docs/implementations.html).

flags:
`

func cmdMatrix(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, matrixUsage); fs.PrintDefaults() }
	out := fs.String("out", "", "write the Markdown here instead of standard output")
	htmlOut := fs.String("html", "", "also write the matrix as an HTML page, case by case, to this file")
	notInstalled := fs.String("not-installed", "", "a file listing, one per line, the adapters that could not be installed and why")
	investigating := fs.String("investigating", "", "docs/conformance/investigating.txt: the divergences no variant explains yet, with what is known")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "conform matrix: give the JSON reports")
		return 2
	}
	var reps []namedReport
	for _, name := range fs.Args() {
		r, err := readMatrixReport(name)
		if err != nil {
			fmt.Fprintf(stderr, "conform matrix: %v\n", err)
			return 2
		}
		reps = append(reps, r)
	}
	slices.SortFunc(reps, func(a, b namedReport) int { return cmp.Compare(a.Implementation, b.Implementation) })
	var missing []string
	if *notInstalled != "" {
		b, err := os.ReadFile(*notInstalled)
		if err != nil {
			fmt.Fprintf(stderr, "conform matrix: %v\n", err)
			return 2
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				missing = append(missing, l)
			}
		}
	}
	var open [][]string
	if *investigating != "" {
		b, err := os.ReadFile(*investigating)
		if err != nil {
			fmt.Fprintf(stderr, "conform matrix: %v\n", err)
			return 2
		}
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.SplitN(l, "\t", 3); len(f) == 3 && !strings.HasPrefix(l, "#") {
				open = append(open, f)
			}
		}
	}
	if *htmlOut != "" {
		if code := writeHTMLMatrix(*htmlOut, reps, stderr); code != 0 {
			return code
		}
	}
	var buf bytes.Buffer
	writeMatrix(&buf, reps, missing, open)
	if *out == "" {
		_, err := stdout.Write(buf.Bytes())
		return exitOn(err, stderr)
	}
	return exitOn(os.WriteFile(*out, buf.Bytes(), 0o644), stderr)
}

// readMatrixReport reads the JSON report of conform run or conform probe
// in the file name; a probe's is read as a run's, keeping the probe's own.
func readMatrixReport(name string) (namedReport, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return namedReport{}, err
	}
	var r suites.JSONReport
	if err := json.Unmarshal(b, &r); err != nil || (r.Format != suites.ReportFormat && r.Format != probe.ReportFormat) {
		return namedReport{}, fmt.Errorf("%s: neither a %s nor a %s report (%v)", name, suites.ReportFormat, probe.ReportFormat, err)
	}
	var live *probe.Report
	if r.Format == probe.ReportFormat {
		live = new(probe.Report)
		if err := json.Unmarshal(b, live); err != nil {
			return namedReport{}, fmt.Errorf("%s: %v", name, err)
		}
		r = probeAsRun(live)
	}
	if r.Implementation == "" {
		return namedReport{}, fmt.Errorf("%s: the report does not name its implementation (conform run -label, conform probe -label)", name)
	}
	return namedReport{r, live}, nil
}

func exitOn(err error, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintf(stderr, "conform matrix: %v\n", err)
		return 2
	}
	return 0
}

// namedReport is one implementation's report; live is set when it comes
// from conform probe against a live server, and JSONReport then holds its
// requests as verify cases (probeAsRun).
type namedReport struct {
	suites.JSONReport
	live *probe.Report
}

// probeAsRun makes a probe report a run report whose cases are the
// requests sent: each a verify case (id case#tampering) that passes when
// the server decided as the reference, fails as "accepted a request it
// must refuse" or "refused a valid request" (with the known variant that
// decides as the server did), and is broken when it got no answer. So the
// matrix counts and groups a live server's divergences as it does an
// adapter's.
func probeAsRun(p *probe.Report) suites.JSONReport {
	verdict := func(accept bool) string {
		if accept {
			return "accept"
		}
		return "reject"
	}
	rep := &suites.Report{Implementation: p.Implementation}
	for _, x := range p.Results {
		c := suites.CaseResult{ID: x.ID, Scheme: p.Scheme, Kind: vectors.Verify, Source: vectors.Generated, Status: suites.Pass,
			Expected: verdict(x.ReferenceAccepts)}
		if x.Tamper != "valid" {
			c.Tamper = x.Tamper
		}
		switch {
		case x.Error != "":
			c.Status, c.Error = suites.Broken, x.Error
		case x.Unchecked:
			c.Status, c.Error = suites.Skip, fmt.Sprintf("answered before any signature check (status %d %s)", x.Status, x.Code)
		case !x.AsReference:
			c.Status, c.Stage = suites.Fail, "verdict"
			c.Verdict = &sigconform.Verdict{Accept: x.ServerAccepts}
			c.Mismatches = []vectors.Mismatch{{Field: "verdict", Want: verdict(x.ReferenceAccepts), Got: verdict(x.ServerAccepts) + fmt.Sprintf(" (status %d %s)", x.Status, x.Code)}}
			if x.Variant != "" {
				c.Variant = &suites.VariantMatch{Name: x.Variant}
				if s, err := lookupScheme(p.Scheme); err == nil {
					if v, ok := sigconform.LookupVariant(s, x.Variant); ok {
						c.Variant.Summary, c.Variant.Refs = v.Summary, v.Refs
					}
				}
			}
		}
		rep.Cases = append(rep.Cases, c)
	}
	out := suites.JSONReport{Format: suites.ReportFormat, Implementation: p.Implementation, Total: rep.Total(), Schemes: rep.ByScheme(), Cases: rep.Cases}
	if out.Schemes == nil {
		out.Schemes = []suites.SchemeCounts{}
	}
	return out
}

// writeHTMLMatrix writes the HTML comparison of the reports to path.
func writeHTMLMatrix(path string, reps []namedReport, stderr io.Writer) int {
	rs := make([]*suites.Report, len(reps))
	for i, r := range reps {
		rs[i] = &suites.Report{Implementation: r.Implementation, Cases: r.Cases, Expectations: r.Expectations}
	}
	var buf bytes.Buffer
	if err := suites.WriteHTMLMatrix(&buf, rs); err != nil {
		return exitOn(err, stderr)
	}
	return exitOn(os.WriteFile(path, buf.Bytes(), 0o644), stderr)
}

// cell is how one implementation did on one case, in a word.
func cell(c *suites.CaseResult) string {
	switch c.Status {
	case suites.Pass:
		return "✓"
	case suites.Skip:
		return "–"
	case suites.Broken:
		return "broken"
	}
	if c.Variant != nil {
		return c.Variant.Name
	}
	return "✗ " + strings.TrimPrefix(c.Stage, "stage ")
}

func writeMatrix(w io.Writer, reps []namedReport, missing []string, investigating [][]string) {
	fmt.Fprint(w, `# Implementations

<!-- Written by make conformance (implementations/conformance.sh, conform matrix) from
the reports in docs/conformance/. Do not edit: run make conformance. -->

How independently written, widely used implementations stand against the
vectors, run through the adapters under [implementations/](../implementations/). A
divergence is a case where the implementation signs (or decides) otherwise
than the reference, which follows what the real server accepts. Where a
known variant of the scheme reproduces the implementation's output, the
divergence is explained by it; the variants and the bugs that show them are
in each scheme package's documentation.
[implementations.html](implementations.html) shows every case of every
implementation at a glance, coloured by outcome, by scheme and topic.

`)
	fmt.Fprintln(w, "## Summary")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| implementation | scheme | kind | cases | pass | fail | skip | broken | failures a known variant explains |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range reps {
		// Counted in one pass over the cases, not one per scheme.
		type key struct{ scheme, kind string }
		explained := map[key]int{}
		for i := range r.Cases {
			if c := &r.Cases[i]; c.Status == suites.Fail && c.Variant != nil {
				explained[key{c.Scheme, string(c.Kind)}]++
			}
		}
		for _, s := range r.Schemes {
			if s.Skip == s.Cases {
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %d | %d | %d of %d |\n",
				r.Implementation, s.Scheme, s.Kind, s.Cases, s.Pass, s.Fail, s.Skip, s.Broken, explained[key{s.Scheme, string(s.Kind)}], s.Fail)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Skipped cases are those the adapter answers `unsupported`: the library has no way to express them (a signature version, an option, a verifier). Each adapter's README says which and why.")
	writeLive(w, reps)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Divergences by known variant")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Per scheme and kind of case, how many cases each implementation fails as each known variant does (a divergence no variant explains is a row of its own). An empty cell: the implementation does not behave as that variant on any case.")
	writeVariantGrids(w, reps)

	if len(investigating) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "## Divergences no variant explains yet")
		fmt.Fprintln(w)
		for _, f := range investigating {
			fmt.Fprintf(w, "- %s, `%s`: %s\n", f[0], f[1], f[2])
		}
	}

	writeCaseByCase(w, reps, "cloudstack")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Not covered")
	fmt.Fprintln(w)
	for _, m := range missing {
		fmt.Fprintf(w, "- %s\n", m)
	}
	fmt.Fprintln(w, "- ZStack: no ZStack SDK can be installed from the registries this project uses (Debian, npm, the Go module proxy), so no independent ZStack implementation is in the matrix; the ZStack vectors rest on the published example and the server code cited in scheme/zstack.")
	fmt.Fprintln(w, "- minio-go: it reads the clock and signs a content-hash header of its own, so it cannot be given a vector's request and time.")
}

// writeVariantGrids writes, per scheme and kind, a grid of implementations
// by the variant (or other cause) of their divergences: the counts read
// across, where a list of causes repeated per implementation did not.
func writeVariantGrids(w io.Writer, reps []namedReport) {
	type key struct{ scheme, kind string }
	type row struct {
		cause   string
		counts  map[int]int // implementation index → cases
		total   int
		example string
	}
	grids := map[key][]*row{}
	impls := map[key][]int{}
	for j, r := range reps {
		for i := range r.Cases {
			c := &r.Cases[i]
			if c.Status != suites.Fail && c.Status != suites.Broken {
				continue
			}
			k := key{c.Scheme, string(c.Kind)}
			cause := gridCause(c)
			rows := grids[k]
			n := slices.IndexFunc(rows, func(r *row) bool { return r.cause == cause })
			if n < 0 {
				rows = append(rows, &row{cause: cause, counts: map[int]int{}, example: c.ID})
				n = len(rows) - 1
				grids[k] = rows
			}
			rows[n].counts[j]++
			rows[n].total++
			if !slices.Contains(impls[k], j) {
				impls[k] = append(impls[k], j)
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(grids), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.scheme, b.scheme), cmp.Compare(a.kind, b.kind))
	})
	for _, k := range keys {
		rows := grids[k]
		slices.SortStableFunc(rows, func(a, b *row) int { return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.cause, b.cause)) })
		cols := impls[k]
		fmt.Fprintf(w, "\n### %s, %s cases\n\n| variant or cause |", k.scheme, k.kind)
		for _, j := range cols {
			fmt.Fprintf(w, " %s |", escapeCell(reps[j].Implementation))
		}
		fmt.Fprint(w, " for example |\n|---|")
		for range cols {
			fmt.Fprint(w, "---:|")
		}
		fmt.Fprintln(w, "---|")
		for _, r := range rows {
			fmt.Fprintf(w, "| %s |", escapeCell(r.cause))
			for _, j := range cols {
				if n := r.counts[j]; n > 0 {
					fmt.Fprintf(w, " %d |", n)
				} else {
					fmt.Fprint(w, " |")
				}
			}
			fmt.Fprintf(w, " `%s` |\n", r.example)
		}
	}
}

// gridCause is the row a divergence falls in: the variant's name when one
// explains it (whatever the stage it showed at), else the report's cause.
func gridCause(c *suites.CaseResult) string {
	if c.Variant != nil {
		return "`" + c.Variant.Name + "`"
	}
	return c.Cause()
}

// writeCaseByCase lists, for one scheme's sign cases, every case on which
// some implementation does not pass, with each implementation's outcome.
func writeCaseByCase(w io.Writer, reps []namedReport, scheme string) {
	var impls []namedReport
	for _, r := range reps {
		for _, s := range r.Schemes {
			if s.Scheme == scheme && s.Kind == "sign" && s.Skip < s.Cases {
				impls = append(impls, r)
				break
			}
		}
	}
	if len(impls) == 0 {
		return
	}
	type row struct {
		id    string
		cells []string
	}
	idx := map[string]int{}
	var rows []row
	for j, r := range impls {
		for i := range r.Cases {
			c := &r.Cases[i]
			if c.Scheme != scheme || c.Kind != "sign" {
				continue
			}
			k, ok := idx[c.ID]
			if !ok {
				k = len(rows)
				idx[c.ID] = k
				rows = append(rows, row{id: c.ID, cells: make([]string, len(impls))})
			}
			rows[k].cells[j] = cell(c)
		}
	}
	fmt.Fprintf(w, "\n## %s, case by case\n\n", scheme)
	fmt.Fprintf(w, "Every %s sign case on which at least one client differs from the server's rule. ✓ signs as the server verifies; – unsupported; a variant name: signs as that known variant does; ✗ stage: differs first at that stage and matches no known variant.\n\n", scheme)
	fmt.Fprint(w, "| case |")
	for _, r := range impls {
		fmt.Fprintf(w, " %s |", r.Implementation)
	}
	fmt.Fprint(w, "\n|---|")
	for range impls {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		if !slices.ContainsFunc(r.cells, func(s string) bool { return s != "✓" && s != "–" && s != "" }) {
			continue
		}
		fmt.Fprintf(w, "| `%s` |", r.id)
		for _, c := range r.cells {
			fmt.Fprintf(w, " %s |", escapeCell(c))
		}
		fmt.Fprintln(w)
	}
}

// writeLive lists the live verifiers: servers started on loopback by the
// conformance run and probed with conform probe (their "cases" above are
// the requests sent, correct and tampered with).
func writeLive(w io.Writer, reps []namedReport) {
	var live []namedReport
	for _, r := range reps {
		if r.live != nil {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Live verifiers")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Real servers started on loopback with test keys by the conformance run (implementations/*/live.txt) and probed with `conform probe`: each sign vector re-signed at the current time for the server, sent as signed and tampered with as the verify vectors are. Their verify \"cases\" in the tables here are those requests (`case#tampering`); a failure is a request the server decided otherwise than the reference; an unchecked one was answered before any signature check (e.g. a path the server's router refuses), so it says nothing either way and is counted as skipped.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| server | scheme | requests | correct | tampered | must-accept refused | must-refuse accepted | no answer | unchecked | vectors skipped |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range live {
		p := r.live
		valid := 0
		for _, x := range p.Results {
			if x.Tamper == "valid" {
				valid++
			}
		}
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d |\n", escapeCell(r.Implementation), p.Scheme, p.Sent, valid, p.Sent-valid,
			len(p.RefusedValid), len(p.AcceptedTampered), len(p.NoAnswer), len(p.Unchecked), len(p.Skipped))
	}
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
