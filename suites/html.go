package suites

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
)

// The HTML report is one file with everything inline, so that CI can keep
// it as an artifact and a person can open it anywhere, offline. Its
// Content-Security-Policy forbids every load and every script but the one
// below: ids and errors come from the implementation under test, and even
// if something escaped the template's escaping it could neither run nor
// reach the network.

//go:embed html/report.css
var reportCSS string

//go:embed html/report.tmpl
var reportTemplate string

// openTargetJS opens the <details> a matrix cell links to: a fragment
// scrolls to a closed <details> but does not open it.
const openTargetJS = `function openTarget() {
  var el = document.getElementById(location.hash.slice(1));
  if (el && el.tagName === "DETAILS") el.open = true;
}
addEventListener("hashchange", openTarget);
openTarget();`

var (
	reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{"refs": refs}).Parse(reportTemplate))
	// contentPolicy allows inline style and, by its hash, openTargetJS.
	contentPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + scriptHash(openTargetJS) + "'"
)

func scriptHash(js string) string {
	sum := sha256.Sum256([]byte(js))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// htmlPage is what the template gets: the report reduced to what is drawn.
type htmlPage struct {
	Title   string
	CSS     template.CSS
	Script  template.JS
	Policy  string
	Reports []htmlReport
	// Comparison says the page compares several implementations:
	// Reports are their totals, Compare their cases.
	Comparison bool
	Compare    []htmlCompareScheme
}

type htmlReport struct {
	Implementation string
	Started        string
	Elapsed        string
	Total          Counts
	Schemes        []SchemeCounts
	Expectations   *htmlExpectations
	Matrix         []htmlScheme
	Groups         []htmlGroup
	Known          []htmlGroup
	KnownFile      string
}

type htmlExpectations struct {
	File   string
	Known  int
	NotRun int
	// UnmetCount is the number of expectations not met, Unmet them
	// grouped by problem.
	UnmetCount int
	Unmet      []htmlUnmet
}

type htmlUnmet struct {
	Problem string
	Title   string
	Items   []Unmet
}

// htmlScheme is one scheme's cases, a row per topic.
type htmlScheme struct {
	Scheme string
	Counts Counts
	Rows   []htmlRow
}

type htmlRow struct {
	Topic  string
	Counts Counts
	Cells  []htmlCell
}

// htmlCell is one case in the matrix: a small square coloured by Class,
// its id in its title, linked to its details when it has any.
type htmlCell struct {
	Class string
	Title string
	Href  string
}

type htmlGroup struct {
	Scheme  string
	Cause   string
	Class   string
	Variant *VariantMatch
	Cases   []htmlCase
	// Short groups list their cases' ids only: a skip or a case not run
	// has nothing to show beyond the cause.
	Short bool
}

type htmlCase struct {
	Anchor string
	ID     string
	Pos    string
	Class  string
	Stage  string
	Diff   *htmlDiff
	// AlsoDiffers names the fields that differ after the first.
	AlsoDiffers []string
	Encoding    string
	Error       string
	Unmet       string
}

type htmlDiff struct {
	Field string
	Text  string
}

// htmlRef is a variant's reference: a link when it starts with a URL.
type htmlRef struct {
	URL  string
	Text string
}

// WriteHTML writes the report as one self-contained HTML page: the totals,
// how the run met its expectations, a matrix of every case by scheme and
// topic coloured by outcome, and the divergences grouped by cause, each
// case with its diff.
func (r *Report) WriteHTML(w io.Writer) error {
	title := "sigconform report"
	if r.Implementation != "" {
		title += ": " + r.Implementation
	}
	return writePage(w, htmlPage{Title: title, Reports: []htmlReport{r.htmlReport()}})
}

// WriteHTMLMatrix writes one page comparing implementations: per scheme, a
// row per implementation and a column per topic, each case a cell, then
// each implementation's totals. The reports should name their
// implementations.
func WriteHTMLMatrix(w io.Writer, reps []*Report) error {
	return writePage(w, htmlPage{Title: "sigconform: implementations compared", Comparison: true, Compare: compareSchemes(reps), Reports: summaries(reps)})
}

func writePage(w io.Writer, p htmlPage) error {
	p.CSS = template.CSS(reportCSS)
	p.Script = template.JS(openTargetJS)
	p.Policy = contentPolicy
	return reportTmpl.Execute(w, p)
}

// summaries are the reports' totals only, for the comparison page.
func summaries(reps []*Report) []htmlReport {
	out := make([]htmlReport, len(reps))
	for i, r := range reps {
		out[i] = htmlReport{Implementation: r.Implementation, Total: r.Total(), Schemes: r.ByScheme()}
	}
	return out
}

func (r *Report) htmlReport() htmlReport {
	h := htmlReport{
		Implementation: r.Implementation,
		Total:          r.Total(),
		Schemes:        r.ByScheme(),
	}
	if !r.Started.IsZero() {
		h.Started = r.Started.UTC().Format("2006-01-02 15:04:05 MST")
		h.Elapsed = r.Elapsed.Round(1e6).String()
	}
	unmet := map[string]Unmet{}
	for _, u := range r.Expectations.unmet() {
		unmet[u.ID] = u
	}
	anchors := map[*CaseResult]string{}
	for i := range r.Cases {
		if r.Cases[i].Status != Pass {
			anchors[&r.Cases[i]] = fmt.Sprintf("case-%d", i)
		}
	}
	h.Matrix = matrix(r.Cases, func(c *CaseResult) string {
		if a := anchors[c]; a != "" {
			return "#" + a
		}
		return ""
	}, unmet)
	if x := r.Expectations; x != nil {
		h.Expectations = htmlExpect(x, h.Total.Known)
		h.KnownFile = x.File
	}
	h.Groups = htmlGroups(r.Groups(), anchors, unmet)
	h.Known = htmlGroups(r.KnownGroups(), anchors, unmet)
	return h
}

// topic is the middle part of a case id (scheme/topic/name).
func topic(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) < 3 {
		return "-"
	}
	return strings.Join(parts[1:len(parts)-1], "/")
}

// cellClass is the colour of a case: a known divergence is its own,
// whatever its status.
func cellClass(c *CaseResult) string {
	if c.Known {
		return "known"
	}
	return string(c.Status)
}

func cellTitle(c *CaseResult) string {
	word := cellClass(c)
	if c.Known {
		word = "known divergence"
	}
	t := c.ID + ": " + word
	if cause := c.Cause(); cause != "" && c.Status != Skip {
		t += " (" + cause + ")"
	}
	return t
}

// matrix lays the cases out by scheme and topic, both sorted, the cases of
// a topic in the order they ran. href gives a case's link, or "".
func matrix(cases []CaseResult, href func(*CaseResult) string, unmet map[string]Unmet) []htmlScheme {
	var out []htmlScheme
	schemeIdx := map[string]int{}
	rowIdx := map[[2]string]int{}
	for i := range cases {
		c := &cases[i]
		si, ok := schemeIdx[c.Scheme]
		if !ok {
			si = len(out)
			schemeIdx[c.Scheme] = si
			out = append(out, htmlScheme{Scheme: c.Scheme})
		}
		s := &out[si]
		s.Counts.add(c)
		k := [2]string{c.Scheme, topic(c.ID)}
		ri, ok := rowIdx[k]
		if !ok {
			ri = len(s.Rows)
			rowIdx[k] = ri
			s.Rows = append(s.Rows, htmlRow{Topic: k[1]})
		}
		row := &s.Rows[ri]
		row.Counts.add(c)
		cell := htmlCell{Class: cellClass(c), Title: cellTitle(c), Href: href(c)}
		if u, ok := unmet[c.ID]; ok {
			// A listed case that passes, or diverges otherwise, fails
			// the run however it is coloured: ring it.
			cell.Class += " unmet"
			cell.Title += "; expectation not met: " + u.Problem
			if cell.Href == "" {
				cell.Href = "#expectations"
			}
		}
		row.Cells = append(row.Cells, cell)
	}
	slices.SortFunc(out, func(a, b htmlScheme) int { return strings.Compare(a.Scheme, b.Scheme) })
	for i := range out {
		slices.SortStableFunc(out[i].Rows, func(a, b htmlRow) int { return strings.Compare(a.Topic, b.Topic) })
	}
	return out
}

func htmlExpect(x *ExpectationsCheck, known int) *htmlExpectations {
	h := &htmlExpectations{File: x.File, Known: known, NotRun: x.NotRun, UnmetCount: len(x.Unmet)}
	for _, g := range x.Groups() {
		h.Unmet = append(h.Unmet, htmlUnmet{Problem: g.Problem, Title: g.Title, Items: g.Unmet})
	}
	return h
}

func htmlGroups(gs []Group, anchors map[*CaseResult]string, unmet map[string]Unmet) []htmlGroup {
	out := make([]htmlGroup, 0, len(gs))
	for _, g := range gs {
		first := g.Cases[0]
		hg := htmlGroup{
			Scheme:  g.Scheme,
			Cause:   g.Cause,
			Class:   cellClass(first),
			Variant: first.Variant,
			Short:   first.Status == Skip || strings.HasPrefix(first.Error, notRun),
		}
		for _, c := range g.Cases {
			hc := htmlCase{Anchor: anchors[c], ID: c.ID, Pos: c.Pos, Class: cellClass(c), Stage: c.Stage, Encoding: c.Encoding}
			if c.Status == Broken {
				hc.Error = c.Error
			}
			// The first field that differs is where the implementation
			// went wrong; the later ones (the signature, the URL) follow
			// from it, and are named only, which halves the page of an
			// implementation with hundreds of divergences.
			if len(c.Mismatches) > 0 {
				m := c.Mismatches[0]
				var b bytes.Buffer
				WriteDiff(&b, "", "want", "got", m.Want, m.Got)
				hc.Diff = &htmlDiff{Field: m.Field, Text: b.String()}
				for _, m := range c.Mismatches[1:] {
					hc.AlsoDiffers = append(hc.AlsoDiffers, m.Field)
				}
			}
			if u, ok := unmet[c.ID]; ok {
				hc.Unmet = u.String()
			}
			hg.Cases = append(hg.Cases, hc)
		}
		out = append(out, hg)
	}
	return out
}

// refs splits a variant's references into links and text: a reference is
// a URL with a note after it, or a citation of a file at a version.
func refs(rs []string) []htmlRef {
	out := make([]htmlRef, len(rs))
	for i, r := range rs {
		if strings.HasPrefix(r, "https://") || strings.HasPrefix(r, "http://") {
			u, rest, _ := strings.Cut(r, " ")
			out[i] = htmlRef{URL: u, Text: rest}
		} else {
			out[i] = htmlRef{Text: r}
		}
	}
	return out
}

// htmlCompareScheme is one scheme on the comparison page: a column per
// topic, a row per implementation that has cases of the scheme.
type htmlCompareScheme struct {
	Scheme string
	Topics []string
	Rows   []htmlCompareRow
}

type htmlCompareRow struct {
	Implementation string
	Counts         Counts
	// Topics holds the cells of each topic, in the order of the
	// scheme's Topics; a topic the implementation has no case of is
	// empty.
	Topics [][]htmlCell
}

func compareSchemes(reps []*Report) []htmlCompareScheme {
	type perImpl struct {
		impl string
		m    htmlScheme
	}
	byScheme := map[string][]perImpl{}
	topics := map[string]map[string]bool{}
	for _, r := range reps {
		unmet := map[string]Unmet{}
		for _, u := range r.Expectations.unmet() {
			unmet[u.ID] = u
		}
		for _, s := range matrix(r.Cases, func(*CaseResult) string { return "" }, unmet) {
			byScheme[s.Scheme] = append(byScheme[s.Scheme], perImpl{r.Implementation, s})
			if topics[s.Scheme] == nil {
				topics[s.Scheme] = map[string]bool{}
			}
			for _, row := range s.Rows {
				topics[s.Scheme][row.Topic] = true
			}
		}
	}
	var out []htmlCompareScheme
	for _, scheme := range slices.Sorted(maps.Keys(byScheme)) {
		cs := htmlCompareScheme{Scheme: scheme}
		for t := range topics[scheme] {
			cs.Topics = append(cs.Topics, t)
		}
		slices.Sort(cs.Topics)
		for _, p := range byScheme[scheme] {
			row := htmlCompareRow{Implementation: p.impl, Counts: p.m.Counts, Topics: make([][]htmlCell, len(cs.Topics))}
			for _, r := range p.m.Rows {
				row.Topics[slices.Index(cs.Topics, r.Topic)] = r.Cells
			}
			cs.Rows = append(cs.Rows, row)
		}
		out = append(out, cs)
	}
	return out
}
