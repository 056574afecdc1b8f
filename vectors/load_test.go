package vectors_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform/vectors"
)

func TestEmbeddedLoads(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Cases()) == 0 {
		t.Fatal("no embedded cases")
	}
	for _, c := range set.Cases() {
		if set.Lookup(c.ID) != c {
			t.Errorf("Lookup(%q) does not return the case", c.ID)
		}
	}
}

// Each malformed file under testdata/badvectors must be refused with an error
// that names the file, the line and column, and the case.
func TestParseRefusesMalformedFiles(t *testing.T) {
	tests := []struct {
		file string
		// want are substrings of one error, in its printed form.
		want []string
	}{
		{"unknown-field.yaml", []string{"unknown-field.yaml:13:7", "case zstack/bad/unknown-field", `unknown field "header"`}},
		{"duplicate-id.yaml", []string{"duplicate-id.yaml:12:5", "case zstack/bad/twice", "duplicate id: first defined at", "duplicate-id.yaml:5:5"}},
		{"missing-source.yaml", []string{"missing-source.yaml:5:5", "case zstack/bad/no-source", "missing source"}},
		{"bad-yaml.yaml", []string{"bad-yaml.yaml:13:5", "case zstack/bad/broken-quote", "invalid YAML"}},
		{"missing-expected.yaml", []string{"missing-expected.yaml:11:5", "case zstack/bad/no-signature", "needs a signature"}},
		{"wrong-type.yaml", []string{"wrong-type.yaml:11:32: ", "case zstack/bad/wrong-type", "cannot unmarshal"}},
		{"published-without-refs.yaml", []string{"published-without-refs.yaml:8:5", "case zstack/bad/no-refs", "needs refs"}},
		{"published-without-refs.yaml", []string{"published-without-refs.yaml:11:5", "case zstack/bad/no-refs", "a rejection needs a reason"}},
		{"bad-indent.yaml", []string{"bad-indent.yaml:21:7", "case zstack/bad/c2", "mapping values are not allowed"}},
		{"nul-byte.yaml", []string{"nul-byte.yaml:6:15", "control character U+0000"}},
		{"not-utf8.yaml", []string{"not-utf8.yaml:6:15", "byte 0xe9 is not UTF-8"}},
		{"two-documents.yaml", []string{"two-documents.yaml:12:1", "a second YAML document starts here"}},
		{"v2-undescribed-variant.yaml", []string{"v2-undescribed-variant.yaml:20:9", "case zstack/bad/undescribed", `variant "with-context-prefx" is not described in the file's variants`}},
		{"v2-provenance.yaml", []string{"v2-provenance.yaml:5:5", `variant "with-query-string" needs a summary`}},
		{"v2-unquoted.yaml", []string{"v2-unquoted.yaml:14:26", "case cloudstack/bad/unquoted", "signature_version: YAML readers may read 3 as another type than a string: quote it"}},
		{"v2-unquoted.yaml", []string{"v2-unquoted.yaml:15:16", "case cloudstack/bad/unquoted", "expires: YAML readers may read 2024-01-02T08:19:05.123456+05 as another type"}},
		{"v2-unquoted.yaml", []string{"v2-unquoted.yaml:17:18", "case cloudstack/bad/unquoted", "signature: YAML readers may read yes as another type"}},
		{"v2-unknown-field.yaml", []string{"v2-unknown-field.yaml:14:7", "case zstack/bad/unknown-field", `unknown field "header"`}},
		{"v2-provenance.yaml", []string{"v2-provenance.yaml:13:5", "case zstack/bad/checked-without-source", "checked_by without source"}},
		{"v2-provenance.yaml", []string{"v2-provenance.yaml:20:9", "case zstack/bad/checked-without-source", "needs names"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			name := filepath.Join("..", "testdata", "badvectors", tt.file)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			_, err = vectors.Parse(name, data)
			if err == nil {
				t.Fatal("Parse accepted a malformed file")
			}
			if !anyErrorHasAll(err, tt.want) {
				t.Errorf("no error mentions all of %q; got:\n%v", tt.want, err)
			}
		})
	}
}

// anyErrorHasAll reports whether one of the joined errors in err contains
// every string in want.
func anyErrorHasAll(err error, want []string) bool {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var ve *vectors.Error
		if !errors.As(e, &ve) {
			continue
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(e.Error(), w)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestLoadRefusesIDInTwoFiles(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "testdata", "badvectors", "missing-source.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(good), "    kind: sign\n", "    kind: sign\n    source: generated\n", 1)
	fsys := fstest.MapFS{
		"a/one.yaml": {Data: []byte(fixed)},
		"b/two.yaml": {Data: []byte(fixed)},
	}
	_, err = vectors.Load(fsys)
	if err == nil || !strings.Contains(err.Error(), "b/two.yaml:5:5: case zstack/bad/no-source: duplicate id: first defined at a/one.yaml:5:5") {
		t.Fatalf("got %v", err)
	}
}

// Marshal must write what Parse reads back unchanged, byte for byte on a
// second round: vectorgen -check depends on it.
func TestMarshalRoundTrip(t *testing.T) {
	if testing.Short() {
		// make race: the round trip runs on one goroutine, so -race has
		// nothing to find in it, and the race detector makes its YAML
		// writing ten times slower (11 s, half the race job's vectors).
		// The plain test run has it.
		t.Skip("-short: one goroutine; the plain test run has it")
	}
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range set.Files {
		out, err := vectors.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		back, err := vectors.Parse(f.Path, out)
		if err != nil {
			t.Fatalf("%s: re-reading marshalled file: %v", f.Path, err)
		}
		for i := range f.Cases {
			a, b := f.Cases[i], back.Cases[i]
			a.Line, a.Column, b.Line, b.Column = 0, 0, 0, 0
			// cmp.Diff only for a case that differs: on the whole corpus
			// it was most of the test's time, under -race most of the
			// package's.
			if reflect.DeepEqual(a, b) {
				continue
			}
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("%s: %s changed in a round trip:\n%s", f.Path, a.ID, diff)
			}
		}
		again, err := vectors.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(out) {
			t.Errorf("%s: Marshal is not stable", f.Path)
		}
	}
}
