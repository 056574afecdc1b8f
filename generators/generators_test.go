package generators

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/scheme/schemetest"
	"github.com/sigconform/sigconform/vectors"
)

// marshalAll runs one generator and marshals its files, by path.
func marshalAll(t *testing.T, gen func() ([]*vectors.File, error)) (map[string][]byte, []*vectors.File) {
	t.Helper()
	files, err := gen()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := vectors.Marshal(f)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", f.Path, err)
		}
		if _, dup := out[f.Path]; dup {
			t.Fatalf("%s written twice", f.Path)
		}
		out[f.Path] = data
	}
	return out, files
}

// loadGenerated runs one generator and loads its files back as a set, as
// vectorgen writes and conform reads them.
func loadGenerated(t *testing.T, gen func() ([]*vectors.File, error)) ([]*vectors.File, *vectors.Set) {
	t.Helper()
	data, files := marshalAll(t, gen)
	return files, loadMarshalled(t, data)
}

// loadMarshalled loads marshalled files, by path, as a set.
func loadMarshalled(t *testing.T, data map[string][]byte) *vectors.Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for path, b := range data {
		fsys[path] = &fstest.MapFile{Data: b}
	}
	set, err := vectors.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set
}

// TestGenerators checks what every generator must hold to: its files are
// below its scheme's directory, survive Marshal, Parse and Marshal again
// byte for byte, hold only generated cases with one-line titles, come out
// the same from a second run, and the reference reproduces every case and
// variant in them.
func TestGenerators(t *testing.T) {
	for _, g := range All() {
		t.Run(g.Scheme, func(t *testing.T) {
			data, files := marshalAll(t, g.Files)
			for _, f := range files {
				if !strings.HasPrefix(f.Path, g.Scheme+"/") {
					t.Errorf("%s: not below %s/", f.Path, g.Scheme)
				}
				parsed, err := vectors.Parse(f.Path, data[f.Path])
				if err != nil {
					t.Fatalf("%s: Parse: %v", f.Path, err)
				}
				if len(parsed.Cases) != len(f.Cases) {
					t.Errorf("%s: %d cases parsed, %d written", f.Path, len(parsed.Cases), len(f.Cases))
				}
				if again, err := vectors.Marshal(parsed); err != nil || !bytes.Equal(again, data[f.Path]) {
					t.Errorf("%s: Marshal(Parse(Marshal(f))) differs (err %v)", f.Path, err)
				}
				for _, c := range parsed.Cases {
					if c.Source != vectors.Generated {
						t.Errorf("%s: source %q, want generated", c.ID, c.Source)
					}
					if strings.Contains(c.Title, "\n") {
						t.Errorf("%s: title spans lines", c.ID)
					}
				}
			}
			again, _ := marshalAll(t, g.Files)
			if !maps.EqualFunc(data, again, bytes.Equal) {
				t.Errorf("two runs write different files")
			}
			s, ok := scheme.Lookup(g.Scheme)
			if !ok {
				t.Fatalf("no reference scheme %q", g.Scheme)
			}
			schemetest.RunSet(t, s, loadMarshalled(t, data))
		})
	}
}

// Every variant of every scheme has a bug type a v2 file may give.
func TestVariantsHaveABugType(t *testing.T) {
	for _, s := range scheme.All() {
		for _, v := range s.Variants() {
			if !slices.Contains(vectors.BugTypes, v.BugType) {
				t.Errorf("%s variant %s: bug type %q, want one of %v", s.Name(), v.Name, v.BugType, vectors.BugTypes)
			}
		}
	}
}
