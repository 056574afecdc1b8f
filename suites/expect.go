package suites

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/vectors"
)

// Expectations are the known divergences of an implementation: the cases it
// is known to fail, each with the cause the report gives. A run checked
// against them passes when the implementation fails exactly those cases for
// exactly those causes, so an implementation with documented divergences
// can keep sigconform in its CI and still learn of any new one, and of any
// that was fixed.
//
// The file is text, one case a line: the case id, white space, and the
// cause as the report words it. Lines starting with # and blank lines are
// comments. conform run -write-expect writes it; a person may edit it.
//
// Only divergences can be expected: a case that fails. A case on which the
// implementation breaks (crashes, hangs, answers nonsense) is never a known
// divergence, or a dead adapter would stay green; an adapter that cannot
// handle a case says so by answering unsupported, which skips it.
type Expectations struct {
	// File names the file the expectations came from, for messages.
	File    string
	entries map[string]expectation
	order   []string // ids in file order
}

type expectation struct {
	cause string
	line  int
}

// MaxExpectationsSize bounds an expectations file: a list of case ids, far
// smaller than this even for the whole corpus.
const MaxExpectationsSize = 4 << 20

// ReadExpectations reads an expectations file.
func ReadExpectations(path string) (*Expectations, error) {
	// Checked before opening: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxExpectationsSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(data) > MaxExpectationsSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: not an expectations file", path, MaxExpectationsSize)
	}
	return ParseExpectations(path, data)
}

// ParseExpectations reads expectations from data; name is the file name
// its errors give.
func ParseExpectations(name string, data []byte) (*Expectations, error) {
	e := &Expectations{File: name, entries: map[string]expectation{}}
	// Some editors start a text file with a byte order mark.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxExpectationsSize)
	var errs []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		id, cause := fields[0], strings.Join(fields[1:], " ")
		switch prev, dup := e.entries[id]; {
		case cause == "":
			errs = append(errs, fmt.Sprintf("%s:%d: %s: no cause after the case id (a line is: id, white space, the cause the report gives)", name, n, truncate(id, 100)))
		case dup:
			errs = append(errs, fmt.Sprintf("%s:%d: %s is listed twice (first at line %d)", name, n, truncate(id, 100), prev.line))
		default:
			e.entries[id] = expectation{cause: cause, line: n}
			e.order = append(e.order, id)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s: a line longer than %d bytes: not an expectations file", name, MaxExpectationsSize)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return e, nil
}

// Len is the number of cases listed.
func (e *Expectations) Len() int { return len(e.order) }

// lookup returns the line that lists id, if one does.
func (e *Expectations) lookup(id string) (expectation, bool) {
	if e == nil {
		return expectation{}, false
	}
	x, ok := e.entries[id]
	return x, ok
}

// covers reports whether res diverged as e lists it.
func (e *Expectations) covers(res *CaseResult) bool {
	if e == nil || res.Status != Fail {
		return false
	}
	x, ok := e.entries[res.ID]
	return ok && x.cause == oneLine(res.Cause())
}

// Unmet is an expectation a run did not meet.
type Unmet struct {
	ID string `json:"id"`
	// Line is the line of the expectations file that lists the case.
	Line int `json:"line"`
	// Problem is "fixed" (the case now passes), "changed" (it diverges
	// for another cause) or "unknown id" (no case has that id).
	Problem string `json:"problem"`
	Listed  string `json:"listed"`
	Got     string `json:"got,omitempty"`
}

// The problems of an Unmet.
const (
	Fixed     = "fixed"
	Changed   = "changed"
	UnknownID = "unknown id"
)

// String says what is wrong and what to do.
func (u Unmet) String() string {
	switch u.Problem {
	case Fixed:
		return fmt.Sprintf("%s passes now: remove it (line %d)", u.ID, u.Line)
	case Changed:
		return fmt.Sprintf("%s diverges for another cause (line %d)\n    listed: %s\n    now:    %s", u.ID, u.Line, u.Listed, u.Got)
	}
	return fmt.Sprintf("%s is not a case of these vectors (line %d): removed or misspelt", u.ID, u.Line)
}

// ExpectationsCheck is how a run met an expectations file.
type ExpectationsCheck struct {
	File string `json:"file"`
	// Unmet lists the expectations the run broke, in file order.
	Unmet []Unmet `json:"unmet"`
	// NotRun counts listed cases that this run did not select.
	NotRun int `json:"not_run"`
}

// UnmetGroup is the unmet expectations of one problem, with a title that
// says what to do about them.
type UnmetGroup struct {
	Problem, Title string
	Unmet          []Unmet
}

// Groups gathers the unmet expectations by problem, in the order a reader
// acts on them, leaving out problems with none.
func (x *ExpectationsCheck) Groups() []UnmetGroup {
	var out []UnmetGroup
	for _, g := range []UnmetGroup{
		{Problem: Changed, Title: "listed cases that diverge for another cause now (fix the implementation, or the line)"},
		{Problem: Fixed, Title: "listed cases that pass now (remove their lines)"},
		{Problem: UnknownID, Title: "listed ids that no case has (removed from the vectors, or misspelt)"},
	} {
		for _, u := range x.Unmet {
			if u.Problem == g.Problem {
				g.Unmet = append(g.Unmet, u)
			}
		}
		if len(g.Unmet) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// unmet is x.Unmet, or none when there are no expectations.
func (x *ExpectationsCheck) unmet() []Unmet {
	if x == nil {
		return nil
	}
	return x.Unmet
}

// Expect checks the report against e: it marks each case that diverged as
// listed Known, and records in r.Expectations every listed case that now
// passes or diverges for another cause, and every listed id that set does
// not have (set may be nil to skip that check: say when the run's cases
// are all there is). Unlisted divergences stay failures.
func (r *Report) Expect(e *Expectations, set *vectors.Set) {
	chk := &ExpectationsCheck{File: e.File, Unmet: []Unmet{}}
	ran := make(map[string]*CaseResult, len(r.Cases))
	for i := range r.Cases {
		cr := &r.Cases[i]
		ran[cr.ID] = cr
		cr.Known = e.covers(cr)
	}
	var ids map[string]bool
	if set != nil {
		ids = map[string]bool{}
		for _, c := range set.Cases() {
			ids[c.ID] = true
		}
	}
	for _, id := range e.order {
		x := e.entries[id]
		cr := ran[id]
		switch {
		case cr == nil && ids != nil && !ids[id]:
			chk.Unmet = append(chk.Unmet, Unmet{ID: id, Line: x.line, Problem: UnknownID, Listed: x.cause})
		case cr == nil:
			chk.NotRun++
		case cr.Status == Pass:
			chk.Unmet = append(chk.Unmet, Unmet{ID: id, Line: x.line, Problem: Fixed, Listed: x.cause})
		case !cr.Known:
			chk.Unmet = append(chk.Unmet, Unmet{ID: id, Line: x.line, Problem: Changed, Listed: x.cause, Got: oneLine(cr.Cause())})
		}
	}
	r.Expectations = chk
}

// WriteExpectations writes an expectations file that the run's divergences
// meet: one line per failing case, with its cause, sorted by id. header is
// written first as comment lines: say what implementation and vectors
// produced it. Broken cases are left out: they are never expected (see
// Expectations), so a run with some does not meet the file.
func (r *Report) WriteExpectations(w io.Writer, header string) error {
	ew := &errWriter{w: w}
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		fmt.Fprintln(ew, strings.TrimRight("# "+l, " "))
	}
	fmt.Fprintln(ew, "#")
	fmt.Fprintln(ew, "# One line per known divergence: the case id, then the cause the report gives.")
	fmt.Fprintln(ew, "# conform run -expect FILE fails when a listed case passes or diverges for")
	fmt.Fprintln(ew, "# another cause, and when an unlisted case fails. Cases on which the")
	fmt.Fprintln(ew, "# implementation breaks are never listed: they always fail the run.")
	var lines []string
	width := 0
	for i := range r.Cases {
		if cr := &r.Cases[i]; cr.Status == Fail {
			width = max(width, len(cr.ID))
		}
	}
	for i := range r.Cases {
		cr := &r.Cases[i]
		if cr.Status != Fail {
			continue
		}
		lines = append(lines, fmt.Sprintf("%-*s  %s", width, cr.ID, oneLine(cr.Cause())))
	}
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Fprintln(ew, l)
	}
	return ew.err
}

// oneLine keeps a cause on its line: an adapter's error text may hold line
// breaks, and the file is one case a line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
