package vectorgencmd

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/vectors"
)

// The corpus version lives in three files beside the vectors, all written
// by vectorgen: VERSION holds the semantic version, expected.lock the
// version again and the hash of every case's expected outcome at that
// version (the state the next run is compared with), CHANGELOG.md one
// entry per version. A person may raise VERSION by hand, for a change
// vectorgen cannot see (a title fixed: a patch version) or to move further
// than it requires; expected.lock says what it was raised from.
const (
	versionName   = "VERSION"
	expectedName  = "expected.lock"
	changelogName = "CHANGELOG.md"
)

const expectedHeader = `# The corpus version, and the hash of the expected outcome of every case in
# it. vectorgen compares the cases it writes with these to tell how far the
# version in VERSION must move. Maintained by cmd/vectorgen.
`

const changelogHeader = `# Vector corpus changelog

The vector corpus has a semantic version (vectors/VERSION; ` + "`conform version`" + ` prints
it) so that a project that pins it knows what an upgrade does to its results:

- a new case is a minor version: a conformant implementation may now fail
  a case it never ran;
- a changed expected value or a removed case is a major version: a result
  recorded against the old corpus no longer means the same thing;
- a case id is never reused for another request (see ids.lock).

vectorgen writes the entries, newest first, when ` + "`make vectors`" + ` moves the
version; ` + "`vectorgen -check`" + ` fails when the version was not moved far enough.
To move it further than that (a patch version for a corrected title, a
major one for a reorganisation), raise vectors/VERSION by hand and run
` + "`make vectors`" + `.
`

// semver is a corpus version, MAJOR.MINOR.PATCH.
type semver struct{ major, minor, patch int }

func (v semver) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func (v semver) less(w semver) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	return v.patch < w.patch
}

func parseSemver(s string) (semver, error) {
	f := strings.Split(s, ".")
	var n [3]int
	if len(f) != 3 {
		return semver{}, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", s)
	}
	for i, p := range f {
		v, err := strconv.Atoi(p)
		// Leading zeros and signs are not semver; refuse them rather than
		// guess what was meant.
		if err != nil || v < 0 || strconv.Itoa(v) != p {
			return semver{}, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", s)
		}
		n[i] = v
	}
	return semver{n[0], n[1], n[2]}, nil
}

// expectedHash identifies what a case expects of an implementation. The
// input cannot change under an id (ids.lock), so a different hash means a
// different answer to the same question.
//
// It hashes the values only, through hashedOutcome, whose JSON shape is
// fixed here: neither the file format (v1 or v2, how a value is quoted) nor
// the names or tags of vectors.Outcome's fields move it.
func expectedHash(c *vectors.Case) string {
	o := c.Expected
	h := hashedOutcome{Stages: o.Stages, Signature: o.Signature, URL: o.URL, Verdict: string(o.Verdict), Reason: string(o.Reason)}
	for _, hd := range o.Headers {
		h.Headers = append(h.Headers, [2]string{hd.Name, hd.Value})
	}
	b, _ := json.Marshal(h)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// hashedOutcome is the shape expected.lock's hashes were first computed
// over (vectors.Outcome as JSON without tags, in corpus 1.0.0); keeping it
// keeps every recorded hash valid.
type hashedOutcome struct {
	Stages    []sigconform.Stage `json:"Stages"`
	Signature string             `json:"Signature"`
	URL       string             `json:"URL"`
	Headers   [][2]string        `json:"Headers"` // each [name, value]
	Verdict   string             `json:"Verdict"`
	Reason    string             `json:"Reason"`
}

// corpusChange is how the cases differ from the recorded state, each list
// sorted.
type corpusChange struct {
	added, changed, removed []string
}

func (d corpusChange) empty() bool {
	return len(d.added)+len(d.changed)+len(d.removed) == 0
}

func diffCorpus(prev, next map[string]string) corpusChange {
	var d corpusChange
	for id, h := range next {
		switch old, ok := prev[id]; {
		case !ok:
			d.added = append(d.added, id)
		case old != h:
			d.changed = append(d.changed, id)
		}
	}
	for id := range prev {
		if _, ok := next[id]; !ok {
			d.removed = append(d.removed, id)
		}
	}
	slices.Sort(d.added)
	slices.Sort(d.changed)
	slices.Sort(d.removed)
	return d
}

// next is the version the change requires after v: a major bump for
// anything that changes the meaning of an old result, a minor one for new
// cases, none for no change.
func (d corpusChange) next(v semver) semver {
	switch {
	case len(d.changed)+len(d.removed) > 0:
		return semver{v.major + 1, 0, 0}
	case len(d.added) > 0:
		return semver{v.major, v.minor + 1, 0}
	}
	return v
}

// reasons says why the version moves, for the -check message.
func (d corpusChange) reasons() string {
	var parts []string
	add := func(ids []string, one, many string) {
		switch len(ids) {
		case 0:
		case 1:
			parts = append(parts, "case "+ids[0]+" "+one)
		default:
			parts = append(parts, "cases "+listIDs(ids, 5)+" "+many)
		}
	}
	add(d.changed, "changed its expected value", "changed their expected values")
	add(d.removed, "was removed", "were removed")
	add(d.added, "is new", "are new")
	return strings.Join(parts, "; ")
}

func listIDs(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}

// corpusVersion is the outcome of comparing the cases with the recorded
// state: the files to write and, when the version moves, from what to what.
type corpusVersion struct {
	files map[string][]byte // VERSION, expected.lock, CHANGELOG.md
	// from is the version of the recorded state; inVersion what VERSION
	// says now (from, unless raised by hand); to the version to write.
	from, inVersion, to semver
	first               bool // no version was recorded: this is 1.0.0
	change              corpusChange
}

func (cv *corpusVersion) moved() bool { return cv.first || cv.from != cv.to }

// tooLow says whether VERSION is short of what the change requires: what
// vectorgen -check fails on.
func (cv *corpusVersion) tooLow() bool { return !cv.first && cv.inVersion != cv.to }

// versionCorpus compares the cases of files with the state recorded in dir
// and returns the version files as they must be. date, when not empty, goes
// in the changelog heading: vectorgen never reads the clock, so that its
// output is the same on every run.
func versionCorpus(dir string, files []*vectors.File, date string) (*corpusVersion, error) {
	next := map[string]string{}
	for _, f := range files {
		for i := range f.Cases {
			next[f.Cases[i].ID] = expectedHash(&f.Cases[i])
		}
	}
	vb, verr := os.ReadFile(filepath.Join(dir, versionName))
	base, prev, lerr := readExpected(filepath.Join(dir, expectedName))
	if verr != nil && !errors.Is(verr, os.ErrNotExist) {
		return nil, verr
	}
	if lerr != nil && !errors.Is(lerr, os.ErrNotExist) {
		return nil, lerr
	}
	cv := &corpusVersion{files: map[string][]byte{}}
	switch {
	case verr != nil && lerr != nil:
		// Nothing recorded: the first versioned corpus.
		cv.first, cv.to = true, semver{1, 0, 0}
	case verr != nil || lerr != nil:
		return nil, fmt.Errorf("%s: %s and %s go together and one of them is missing; restore it from version control", dir, versionName, expectedName)
	default:
		v, err := parseSemver(strings.TrimSpace(string(vb)))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", filepath.Join(dir, versionName), err)
		}
		if v.less(base) {
			return nil, fmt.Errorf("%s: version %s is lower than %s, the version %s records; versions only go up", filepath.Join(dir, versionName), v, base, expectedName)
		}
		cv.from, cv.inVersion = base, v
		cv.change = diffCorpus(prev, next)
		// A version raised by hand stands when it is high enough.
		cv.to = cv.change.next(base)
		if cv.to.less(v) {
			cv.to = v
		}
	}
	cv.files[versionName] = []byte(cv.to.String() + "\n")
	cv.files[expectedName] = formatExpected(cv.to, next)
	old, err := os.ReadFile(filepath.Join(dir, changelogName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if len(old) == 0 {
		old = []byte(changelogHeader)
	}
	if cv.moved() {
		cv.files[changelogName] = withEntry(old, cv.entry(date, len(next)))
	} else {
		cv.files[changelogName] = old
	}
	return cv, nil
}

// entry is the changelog section of the new version.
func (cv *corpusVersion) entry(date string, cases int) string {
	var b strings.Builder
	b.WriteString("## " + cv.to.String())
	if date != "" {
		b.WriteString(" (" + date + ")")
	}
	b.WriteString("\n\n")
	if cv.first {
		fmt.Fprintf(&b, "The first versioned corpus: %d cases. Earlier corpora had no version.\n", cases)
		return b.String()
	}
	list := func(title string, ids []string) {
		if len(ids) == 0 {
			return
		}
		b.WriteString(title + ":\n\n")
		for _, id := range ids {
			b.WriteString("- " + id + "\n")
		}
		b.WriteString("\n")
	}
	if cv.change.empty() {
		b.WriteString("No case was added or removed, and no expected value changed.\n\n")
	}
	list("Changed expected values", cv.change.changed)
	list("Removed", cv.change.removed)
	list("Added", cv.change.added)
	return strings.TrimSuffix(b.String(), "\n")
}

// withEntry puts entry above the newest entry of the changelog, or at its
// end when it has none yet.
func withEntry(changelog []byte, entry string) []byte {
	var out bytes.Buffer
	if i := bytes.Index(changelog, []byte("\n## ")); i >= 0 {
		out.Write(changelog[:i+1])
		out.WriteString(entry + "\n")
		out.Write(changelog[i+1:])
		return out.Bytes()
	}
	out.Write(bytes.TrimRight(changelog, "\n"))
	out.WriteString("\n\n" + entry)
	return out.Bytes()
}

func formatExpected(v semver, m map[string]string) []byte {
	var buf bytes.Buffer
	buf.WriteString(expectedHeader)
	fmt.Fprintf(&buf, "version %s\n", v)
	for _, id := range sortedNames(m) {
		fmt.Fprintf(&buf, "%s %s\n", id, m[id])
	}
	return buf.Bytes()
}

// readExpected reads expected.lock: the version line, then one line per
// case. (An id has slashes, so it is never the word version.)
func readExpected(path string) (semver, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return semver{}, nil, err
	}
	defer f.Close()
	out := map[string]string{}
	var v semver
	seen := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, " ")
		switch {
		case !ok:
			return semver{}, nil, fmt.Errorf("%s:%d: want \"<id> <hash>\"", path, n)
		case key == "version":
			if v, err = parseSemver(val); err != nil {
				return semver{}, nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			seen = true
		default:
			out[key] = val
		}
	}
	if err := sc.Err(); err != nil {
		return semver{}, nil, err
	}
	if !seen {
		return semver{}, nil, fmt.Errorf("%s: no \"version X.Y.Z\" line", path)
	}
	return v, out, nil
}
