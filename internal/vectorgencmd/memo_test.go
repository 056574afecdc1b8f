package vectorgencmd

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The memo gives back what the generators give, as a map the caller may
// change without changing the next caller's.
func TestGeneratedFilesMemo(t *testing.T) {
	Memoize()
	defer func() { generatedMemo.on, generatedMemo.want = false, nil }()
	first, err := generatedFiles("none", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	name := "zstack/path.yaml"
	if len(first[name]) == 0 {
		t.Fatalf("no %s among the generated files", name)
	}
	orig := bytes.Clone(first[name])
	first[name][0] = '!'
	first[name] = append(first[name], "changed by the caller"...)
	delete(first, "sigv4/encoding.yaml")
	second, err := generatedFiles("none", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(second[name], orig) || len(second["sigv4/encoding.yaml"]) == 0 {
		t.Fatal("a caller's change to the map reached the next caller")
	}
}

// Any change to what marking reads in the reports directory (the *.json
// reports and the two lists) gives another digest: the memo is never
// served for other reports.
func TestReportsDigest(t *testing.T) {
	dir := t.TempDir()
	digest := func() [32]byte {
		t.Helper()
		d, err := reportsDigest(dir)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	empty := digest()
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	one := digest()
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte("{ }"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := digest()
	if err := os.WriteFile(filepath.Join(dir, lineageName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	lineage := digest()
	seen := map[[32]byte]string{}
	for name, d := range map[string][32]byte{"empty": empty, "one file": one, "changed": changed, "lineage added": lineage} {
		if other, ok := seen[d]; ok {
			t.Errorf("%s and %s have the same digest", name, other)
		}
		seen[d] = name
	}
	// What marking does not read does not count, and cannot fail it.
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if digest() != lineage {
		t.Error("a file marking does not read changed the digest")
	}
	if _, err := reportsDigest(filepath.Join(dir, "notes.md")); err != nil {
		t.Errorf("-reports naming a file: %v; marking finds no reports there, and neither must the digest fail", err)
	}
	if none, _ := reportsDigest("none"); none == empty {
		t.Error(`"none" and an empty directory have the same digest`)
	}
	if missing, err := reportsDigest(filepath.Join(dir, "missing")); err != nil || missing == empty {
		t.Errorf("a missing directory: %v, or the same digest as another", err)
	}
}
