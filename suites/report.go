package suites

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/vectors"
)

// Status is the outcome of one case.
type Status string

// The statuses of a case.
const (
	Pass   Status = "pass"
	Fail   Status = "fail"   // the implementation answered, differently from the vector
	Skip   Status = "skip"   // the implementation said it does not support the case
	Broken Status = "broken" // the implementation crashed, hung or answered nonsense
)

// VariantMatch names the known divergent behaviour an implementation's
// output reproduces.
type VariantMatch struct {
	Name    string   `json:"name"`
	Summary string   `json:"summary,omitempty"`
	Refs    []string `json:"refs,omitempty"`
}

// CaseResult is what happened to one case.
type CaseResult struct {
	ID       string         `json:"id"`
	Scheme   string         `json:"scheme"`
	Kind     vectors.Kind   `json:"kind"`
	Source   vectors.Source `json:"source"`
	Tags     []string       `json:"tags,omitempty"`
	Pos      string         `json:"pos"`
	Tamper   string         `json:"tamper,omitempty"`
	Disputed string         `json:"disputed,omitempty"`
	Status   Status         `json:"status"`

	// Stage is the first field that diverged: "stage <name>",
	// "signature", "url", "header <Name>", "verdict" or "reason".
	Stage      string             `json:"stage,omitempty"`
	Mismatches []vectors.Mismatch `json:"mismatches,omitempty"`
	// Variant is the known variant whose output the implementation
	// reproduced, when one does.
	Variant *VariantMatch `json:"variant,omitempty"`
	// Encoding says when the implementation wrote the right MAC in another
	// form.
	Encoding string `json:"encoding,omitempty"`
	// NotReported are the expected fields the signer did not report
	// ("stage <name>", "url", "header <Name>"): not compared, not failed.
	NotReported []string `json:"not_reported,omitempty"`
	// Equivalent, on a passing case, says that the signed request was
	// written differently from the vector's (parameter order, spacing) but
	// with the right signature and accepted by the reference verifier.
	Equivalent string `json:"equivalent,omitempty"`
	// Error is why a case was skipped or broken.
	Error string `json:"error,omitempty"`
	// Known says that the case failed or broke exactly as the
	// expectations file lists it: a known divergence, which does not fail
	// the run.
	Known bool `json:"known,omitempty"`

	// Expected is what the case expected when it ran: the signature of a
	// sign case, the verdict of a verify case. It ties a recorded result
	// to the vector as it was, so that a later change of the vector is not
	// taken as confirmed by an old run.
	Expected string `json:"expected"`

	Got     *sigconform.Result  `json:"got,omitempty"`
	Verdict *sigconform.Verdict `json:"verdict,omitempty"`

	Duration time.Duration `json:"-"`
}

// Cause is the key divergences are grouped by in a report: many cases that
// fail for one reason are one line, not many.
func (r *CaseResult) Cause() string {
	switch r.Status {
	case Broken:
		return "implementation broke: " + brokenClass(r.Error)
	case Skip:
		return "skipped: " + r.Error
	case Fail:
	default:
		return ""
	}
	var b strings.Builder
	switch {
	case r.Kind == vectors.Verify && r.Verdict != nil && r.Verdict.Accept:
		b.WriteString("accepted a request it must refuse")
		if r.Tamper != "" {
			b.WriteString(" (" + r.Tamper + ")")
		}
	case r.Kind == vectors.Verify && len(r.Mismatches) > 0 && r.Mismatches[0].Field == "reason":
		b.WriteString("refused for another reason than expected")
	case r.Kind == vectors.Verify && len(r.Mismatches) > 0 && strings.HasPrefix(r.Mismatches[0].Want, "accept"):
		b.WriteString("refused a valid request")
	default:
		b.WriteString("diverges at " + r.Stage)
	}
	if r.Variant != nil {
		b.WriteString(": matches known variant " + r.Variant.Name)
	} else if r.Encoding != "" {
		b.WriteString(": " + r.Encoding)
	} else {
		// Said for a verifier too: a divergence no variant reproduces is
		// new, and must not read like one a variant explains.
		b.WriteString(": matches no known variant")
	}
	return b.String()
}

// brokenClass shortens an error to its kind, so that a thousand timeouts are
// one group: the text up to the first detail (a colon or a parenthesis
// outside quotes), with every quoted part (an id, a URL, whatever the
// implementation wrote) replaced by "…", since those differ from case to
// case and from run to run.
func brokenClass(err string) string {
	err = strings.TrimPrefix(err, "adapter broke: ")
	var b strings.Builder
	quoted := false
	for _, r := range err {
		switch {
		case r == '"':
			if !quoted {
				b.WriteString(`"…"`)
			}
			quoted = !quoted
		case quoted:
		case (r == ':' || r == '(') && b.Len() > 0:
			return strings.TrimSpace(b.String())
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// Report is the outcome of a run.
type Report struct {
	// Implementation names what ran, with its version, when known.
	Implementation string
	Cases          []CaseResult
	// Expectations is set when the run was checked against a list of
	// known divergences (Report.Expect).
	Expectations *ExpectationsCheck
	// Started and Elapsed time the whole run.
	Started time.Time
	Elapsed time.Duration
}

// Counts is the number of cases per status. A known divergence (a case
// that failed or broke as the expectations list it) counts as Known only,
// so Fail and Broken are what is new.
type Counts struct {
	Cases  int `json:"cases"`
	Pass   int `json:"pass"`
	Fail   int `json:"fail"`
	Skip   int `json:"skip"`
	Broken int `json:"broken"`
	Known  int `json:"known,omitempty"`
}

func (c *Counts) add(cr *CaseResult) {
	c.Cases++
	if cr.Known {
		c.Known++
		return
	}
	switch cr.Status {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Skip:
		c.Skip++
	case Broken:
		c.Broken++
	}
}

// Total counts every case.
func (r *Report) Total() Counts {
	var c Counts
	for i := range r.Cases {
		c.add(&r.Cases[i])
	}
	return c
}

// SchemeCounts is the counts of one scheme and kind of case.
type SchemeCounts struct {
	Scheme string       `json:"scheme"`
	Kind   vectors.Kind `json:"kind"`
	Counts
	// Stages counts failures by the first field that diverged.
	Stages map[string]int `json:"stages,omitempty"`
}

// ByScheme counts cases per scheme and kind, ordered by scheme then kind.
func (r *Report) ByScheme() []SchemeCounts {
	idx := map[[2]string]*SchemeCounts{}
	var out []*SchemeCounts
	for i := range r.Cases {
		cr := &r.Cases[i]
		k := [2]string{cr.Scheme, string(cr.Kind)}
		sc := idx[k]
		if sc == nil {
			sc = &SchemeCounts{Scheme: cr.Scheme, Kind: cr.Kind}
			idx[k] = sc
			out = append(out, sc)
		}
		sc.add(cr)
		if cr.Status == Fail && !cr.Known {
			if sc.Stages == nil {
				sc.Stages = map[string]int{}
			}
			sc.Stages[cr.Stage]++
		}
	}
	slices.SortFunc(out, func(a, b *SchemeCounts) int {
		return cmp.Or(cmp.Compare(a.Scheme, b.Scheme), cmp.Compare(a.Kind, b.Kind))
	})
	res := make([]SchemeCounts, len(out))
	for i, sc := range out {
		res[i] = *sc
	}
	return res
}

// Group is the cases that share one cause.
type Group struct {
	Scheme string
	Cause  string
	Cases  []*CaseResult
}

// Groups gathers the cases that did not pass, known divergences left out,
// by scheme and cause, the largest group first.
func (r *Report) Groups() []Group {
	return r.groups(false)
}

// KnownGroups gathers the known divergences by scheme and cause.
func (r *Report) KnownGroups() []Group {
	return r.groups(true)
}

func (r *Report) groups(known bool) []Group {
	idx := map[[2]string]int{}
	var out []Group
	for i := range r.Cases {
		cr := &r.Cases[i]
		if cr.Known != known {
			continue
		}
		// Only now: Groups and KnownGroups then work out each cause once
		// between them.
		cause := cr.Cause()
		if cause == "" {
			continue
		}
		k := [2]string{cr.Scheme, cause}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, Group{Scheme: cr.Scheme, Cause: cause})
		}
		out[j].Cases = append(out[j].Cases, cr)
	}
	// Divergences first, then breakage, then skips: what the
	// implementation got wrong matters more than what it did not try.
	// Cases not run after the implementation broke come after the
	// breakage that stopped them.
	rank := func(g Group) int {
		c := g.Cases[0]
		switch {
		case c.Status == Fail:
			return 0
		case c.Status == Broken && !strings.HasPrefix(c.Error, notRun):
			return 1
		case c.Status == Broken:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Scheme, b.Scheme), cmp.Compare(rank(a), rank(b)), cmp.Compare(len(b.Cases), len(a.Cases)))
	})
	return out
}

// The exit codes of conform, as documented in the README.
const (
	ExitConformant = 0 // every case passed, was skipped as unsupported, or diverged as expected
	ExitDiverged   = 1 // some case failed
	ExitUsage      = 2 // bad flags or a bad vector file
	ExitBroken     = 3 // the implementation crashed, hung or answered nonsense
)

// ExitCode is the exit code for the report: broken outranks failed, and a
// known divergence is neither. An expectation the run did not meet (a
// listed case fixed or diverging otherwise, an unknown id) counts as a
// divergence, so that the list cannot rot.
func (r *Report) ExitCode() int {
	t := r.Total()
	switch {
	case t.Broken > 0:
		return ExitBroken
	case t.Fail > 0 || r.Expectations != nil && len(r.Expectations.Unmet) > 0:
		return ExitDiverged
	}
	return ExitConformant
}
