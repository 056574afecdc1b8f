package vectorgencmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// recordCorpus writes the version files of a corpus at version v holding
// cases, as a previous vectorgen run would have left them.
func recordCorpus(t *testing.T, v string, cases ...vectors.Case) string {
	t.Helper()
	dir := t.TempDir()
	sv, err := parseSemver(v)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for i := range cases {
		hashes[cases[i].ID] = expectedHash(&cases[i])
	}
	for name, b := range map[string]string{
		versionName:   v + "\n",
		expectedName:  string(formatExpected(sv, hashes)),
		changelogName: changelogHeader + "\n## " + v + "\n\nSome cases.\n\n## 1.0.0\n\nThe first.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCorpusVersionRules(t *testing.T) {
	before := []vectors.Case{genCase("s/t/one", "SIG1"), genCase("s/t/two", "SIG2")}
	tests := []struct {
		name    string
		after   []vectors.Case
		to      string
		reasons string
		entry   []string
	}{
		{"unchanged", before, "1.2.3", "", nil},
		{"added", append(before[:2:2], genCase("s/t/three", "SIG3")), "1.3.0",
			"case s/t/three is new", []string{"## 1.3.0\n\nAdded:\n\n- s/t/three\n"}},
		{"changed", []vectors.Case{genCase("s/t/one", "SIGX"), genCase("s/t/two", "SIG2")}, "2.0.0",
			"case s/t/one changed its expected value", []string{"## 2.0.0\n\nChanged expected values:\n\n- s/t/one\n"}},
		{"removed", before[:1], "2.0.0",
			"case s/t/two was removed", []string{"Removed:\n\n- s/t/two\n"}},
		// The biggest change decides; every change is listed.
		{"all", []vectors.Case{genCase("s/t/one", "SIGX"), genCase("s/t/three", "SIG3"), genCase("s/t/four", "SIG4")}, "2.0.0",
			"case s/t/one changed its expected value; case s/t/two was removed; cases s/t/four, s/t/three are new",
			[]string{"Changed expected values:\n\n- s/t/one\n", "Removed:\n\n- s/t/two\n", "Added:\n\n- s/t/four\n- s/t/three\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := recordCorpus(t, "1.2.3", before...)
			cv, err := versionCorpus(dir, []*vectors.File{{Cases: tt.after}}, "")
			if err != nil {
				t.Fatal(err)
			}
			if cv.from.String() != "1.2.3" || cv.to.String() != tt.to || cv.tooLow() != (tt.to != "1.2.3") {
				t.Errorf("version %s -> %s (too low: %v), want 1.2.3 -> %s", cv.from, cv.to, cv.tooLow(), tt.to)
			}
			if got := string(cv.files[versionName]); got != tt.to+"\n" {
				t.Errorf("VERSION %q, want %q", got, tt.to)
			}
			if got := cv.change.reasons(); got != tt.reasons {
				t.Errorf("reasons %q, want %q", got, tt.reasons)
			}
			old, _ := os.ReadFile(filepath.Join(dir, changelogName))
			log := string(cv.files[changelogName])
			if tt.entry == nil && log != string(old) {
				t.Errorf("changelog changed with the corpus unchanged:\n%s", log)
			}
			for _, e := range tt.entry {
				if !strings.Contains(log, e) {
					t.Errorf("changelog lacks %q:\n%s", e, log)
				}
			}
			// The new entry goes above the older ones.
			if tt.entry != nil && strings.Index(log, "## "+tt.to) > strings.Index(log, "## 1.2.3") {
				t.Errorf("new entry is not first:\n%s", log)
			}
		})
	}
}

// VERSION raised by hand stands when it is high enough for the change, and
// counts as too low when it is not.
func TestCorpusVersionRaisedByHand(t *testing.T) {
	before := []vectors.Case{genCase("s/t/one", "SIG1")}
	added := []*vectors.File{{Cases: append(before[:1:1], genCase("s/t/two", "SIG2"))}}
	tests := []struct {
		name, hand string
		after      []*vectors.File
		to         string
		tooLow     bool
		entry      string
	}{
		{"patch for an unseen change", "1.2.4", []*vectors.File{{Cases: before}}, "1.2.4", false,
			"## 1.2.4\n\nNo case was added or removed, and no expected value changed.\n"},
		{"major for a new case", "2.0.0", added, "2.0.0", false, "## 2.0.0\n\nAdded:\n\n- s/t/two\n"},
		{"patch for a new case", "1.2.4", added, "1.3.0", true, "## 1.3.0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := recordCorpus(t, "1.2.3", before...)
			if err := os.WriteFile(filepath.Join(dir, versionName), []byte(tt.hand+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cv, err := versionCorpus(dir, tt.after, "")
			if err != nil {
				t.Fatal(err)
			}
			if cv.to.String() != tt.to || cv.tooLow() != tt.tooLow {
				t.Errorf("to %s, too low %v; want %s, %v", cv.to, cv.tooLow(), tt.to, tt.tooLow)
			}
			if log := string(cv.files[changelogName]); !strings.Contains(log, tt.entry) {
				t.Errorf("changelog lacks %q:\n%s", tt.entry, log)
			}
			if lock := string(cv.files[expectedName]); !strings.Contains(lock, "\nversion "+tt.to+"\n") {
				t.Errorf("expected.lock does not record %s:\n%s", tt.to, lock)
			}
		})
	}
	// Versions only go up.
	dir := recordCorpus(t, "1.2.3", before...)
	if err := os.WriteFile(filepath.Join(dir, versionName), []byte("1.1.9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := versionCorpus(dir, nil, ""); err == nil || !strings.Contains(err.Error(), "lower than 1.2.3") {
		t.Errorf("err = %v", err)
	}
}

// A directory with no recorded version starts at 1.0.0; a second run over
// the same cases leaves every version file as it is.
func TestCorpusVersionFirst(t *testing.T) {
	dir := t.TempDir()
	files := []*vectors.File{{Cases: []vectors.Case{genCase("s/t/one", "SIG1"), genCase("s/t/two", "SIG2")}}}
	cv, err := versionCorpus(dir, files, "2026-01-02")
	if err != nil {
		t.Fatal(err)
	}
	if !cv.first || cv.to.String() != "1.0.0" {
		t.Fatalf("first %v, to %s", cv.first, cv.to)
	}
	if log := string(cv.files[changelogName]); !strings.Contains(log, "## 1.0.0 (2026-01-02)\n\nThe first versioned corpus: 2 cases.") {
		t.Fatalf("changelog:\n%s", log)
	}
	for name, b := range cv.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	again, err := versionCorpus(dir, files, "2026-03-04")
	if err != nil {
		t.Fatal(err)
	}
	if again.moved() {
		t.Fatalf("version moved on an unchanged corpus: %s -> %s", again.from, again.to)
	}
	for name, b := range again.files {
		if string(b) != string(cv.files[name]) {
			t.Errorf("%s changed on an unchanged corpus", name)
		}
	}
}

// A lost expected.lock is not taken for a first corpus: that would reset
// the version.
func TestCorpusVersionHalfRecorded(t *testing.T) {
	dir := recordCorpus(t, "3.1.0", genCase("s/t/one", "SIG1"))
	if err := os.Remove(filepath.Join(dir, expectedName)); err != nil {
		t.Fatal(err)
	}
	if _, err := versionCorpus(dir, nil, ""); err == nil || !strings.Contains(err.Error(), "one of them is missing") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseSemver(t *testing.T) {
	for _, s := range []string{"1.2", "1.2.3.4", "01.2.3", "1.-2.3", "v1.2.3", "1.2.x"} {
		if _, err := parseSemver(s); err == nil {
			t.Errorf("parseSemver(%q) accepted", s)
		}
	}
	if v, err := parseSemver("10.0.7"); err != nil || v != (semver{10, 0, 7}) {
		t.Errorf("parseSemver(10.0.7) = %v, %v", v, err)
	}
}
