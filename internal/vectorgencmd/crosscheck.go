package vectorgencmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// investigatingName lists, one per line as "<implementation>\t<case id
// pattern>\t<why>", the divergences no named variant explains yet and that
// are being looked into. Any other unexplained divergence fails vectorgen:
// it is either a bug in the reference or a behaviour to name as a variant.
const investigatingName = "investigating.txt"

// lineageName lists, one per line as "<implementation>, <implementation>...
// TAB <evidence>", implementations that share code and so do not count as
// independent of one another: agreement among them counts once.
const lineageName = "lineage.txt"

// outcome is one implementation's result on one case.
type outcome struct {
	impl   string
	status suites.Status
	detail string // variant name or diverging stage
}

// crossChecker holds the conformance reports by case id.
type crossChecker struct {
	byID      map[string][]outcome
	impls     int
	ack       []ackLine
	lineage   [][]string // implementation name prefixes that share code
	surprises []string
}

// independent counts the confirmers that do not share a lineage.
func (cc *crossChecker) independent(confirmed []string) int {
	groups := map[string]bool{}
	for _, impl := range confirmed {
		key := impl
		for i, l := range cc.lineage {
			if slices.ContainsFunc(l, func(p string) bool { return strings.HasPrefix(impl, p) }) {
				key = fmt.Sprintf("lineage %d", i)
				break
			}
		}
		groups[key] = true
	}
	return len(groups)
}

type ackLine struct{ impl, pattern string }

// loadReports reads every JSON report in dir. A missing directory means
// no conformance run: nothing is cross-checked.
func loadReports(dir string) (*crossChecker, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(names) == 0 {
		return nil, err
	}
	cc := &crossChecker{byID: map[string][]outcome{}}
	expected := map[string]map[string]string{} // impl -> id -> expected
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var r suites.JSONReport
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if r.Format != "" && r.Format != suites.ReportFormat {
			continue // a conform probe report: live requests, not vectors
		}
		if r.Implementation == "" {
			return nil, fmt.Errorf("%s: the report does not name its implementation", name)
		}
		cc.impls++
		expected[r.Implementation] = map[string]string{}
		for _, c := range r.Cases {
			o := outcome{impl: r.Implementation, status: c.Status}
			switch {
			case c.Variant != nil:
				o.detail = "as variant " + c.Variant.Name
			case c.Status == suites.Fail:
				o.detail = "at " + c.Stage
			}
			// The result counts only for the vector it ran against.
			o.impl += "\x00" + c.Expected
			cc.byID[c.ID] = append(cc.byID[c.ID], o)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, investigatingName)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			f := strings.Split(l, "\t")
			if len(f) < 2 {
				return nil, fmt.Errorf("%s: want <implementation> TAB <case id pattern> TAB <why>: %q", investigatingName, l)
			}
			cc.ack = append(cc.ack, ackLine{f[0], f[1]})
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, lineageName)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			names, _, _ := strings.Cut(l, "\t")
			var group []string
			for _, n := range strings.Split(names, ",") {
				if n = strings.TrimSpace(n); n != "" {
					group = append(group, n)
				}
			}
			cc.lineage = append(cc.lineage, group)
		}
	}
	return cc, nil
}

// mark sets source, checked_by and unchecked on every generated case of f
// from the reports.
func (cc *crossChecker) mark(f *vectors.File) {
	for i := range f.Cases {
		c := &f.Cases[i]
		if c.Source != vectors.Generated {
			continue
		}
		want := suites.ExpectedString(c)
		var confirmed, differ, skipped []string
		for _, o := range cc.byID[c.ID] {
			impl, exp, _ := strings.Cut(o.impl, "\x00")
			if exp != want {
				continue // ran against another version of the case
			}
			switch o.status {
			case suites.Pass:
				confirmed = append(confirmed, impl)
			case suites.Fail, suites.Broken:
				d := o.detail
				if o.status == suites.Broken {
					d = "broke"
				}
				differ = append(differ, impl+" ("+d+")")
				if o.status == suites.Fail && !strings.HasPrefix(d, "as variant ") && !cc.acknowledged(impl, c.ID) {
					cc.surprises = append(cc.surprises, fmt.Sprintf("%s: %s diverges %s and no known variant explains it", c.ID, impl, d))
				}
			case suites.Skip:
				skipped = append(skipped, impl)
			}
		}
		slices.Sort(confirmed)
		if cc.independent(confirmed) >= 2 {
			c.Source, c.CheckedBy, c.Unchecked = vectors.CrossChecked, confirmed, ""
			continue
		}
		var why []string
		switch {
		case len(confirmed) == 0:
			if len(differ)+len(skipped) > 0 {
				why = append(why, "no independent implementation reproduced it")
			}
		case len(confirmed) == 1:
			why = append(why, "reproduced by "+confirmed[0]+" only")
		default:
			why = append(why, "reproduced only by implementations that share code: "+strings.Join(confirmed, ", "))
		}
		if len(differ) > 0 {
			why = append(why, "differs: "+strings.Join(differ, ", "))
		}
		if len(skipped) > 0 {
			why = append(why, "cannot express it: "+strings.Join(skipped, ", "))
		}
		if len(confirmed)+len(differ)+len(skipped) == 0 {
			why = append(why, "not run by any of the implementations in the conformance run")
		}
		c.Unchecked = strings.Join(why, "; ")
	}
}

func (cc *crossChecker) acknowledged(impl, id string) bool {
	for _, a := range cc.ack {
		if ok, _ := path.Match(a.pattern, id); ok && strings.HasPrefix(impl, a.impl) {
			return true
		}
	}
	return false
}
