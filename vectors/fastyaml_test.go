package vectors

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sameNodes returns where the node trees a and b differ, or "".
func sameNodes(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || a.Value != b.Value || a.Style&^yaml.TaggedStyle != b.Style&^yaml.TaggedStyle ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %v tag %s style %v %d:%d %q, %d children}, yaml.v3 {kind %v tag %s style %v %d:%d %q, %d children}",
			path, a.Kind, a.ShortTag(), a.Style, a.Line, a.Column, a.Value, len(a.Content), b.Kind, b.ShortTag(), b.Style, b.Line, b.Column, b.Value, len(b.Content))
	}
	for i := range a.Content {
		if d := sameNodes(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFast compares fastParse with yaml.v3 on data; it reports whether
// fastParse took the file.
func checkFast(t testing.TB, name string, data []byte) bool {
	fast := fastParse(data)
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	if fast == nil {
		return false
	}
	if err != nil {
		t.Errorf("%s: fastParse read what yaml.v3 refuses (%v)", name, err)
		return true
	}
	if d := sameNodes(fast.Content[0], doc.Content[0], ""); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	return true
}

// TestFastParseIsYAMLv3 holds fastParse to yaml.v3's nodes on every
// embedded file, all of which it must read itself, and on the test files,
// which it may leave to yaml.v3.
func TestFastParseIsYAMLv3(t *testing.T) {
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
			return err
		}
		data, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		if !checkFast(t, p, data) {
			t.Errorf("%s: fastParse left an embedded file to yaml.v3", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"../testdata/badvectors", "../testdata/v1vectors/zstack", "../testdata/v1vectors/cloudstack"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			checkFast(t, name, data)
		}
	}
}

// TestFastParseDepth: nesting deeper than maxFastDepth is left to
// yaml.v3, so that fastParse never reads what yaml.v3 refuses (it refuses
// more than 10000 levels, which fastParse used to read).
func TestFastParseDepth(t *testing.T) {
	var b strings.Builder
	b.WriteString("format: sigconform/v2\nscheme: sigv4\ntopic: x\ncases:\n")
	for i := range maxFastDepth + 1 {
		b.WriteString(strings.Repeat(" ", i*2))
		b.WriteString("- a:\n")
	}
	if fastParse([]byte(b.String())) != nil {
		t.Fatalf("fastParse read %d levels of nesting, more than maxFastDepth", maxFastDepth+1)
	}
}

// maxFuzzInput bounds what FuzzFastParse hands the two parsers. The
// subset is read line by line, and a few short lines exercise all of it;
// larger inputs stall the fuzzer: when a mutation finds new coverage,
// Go's fuzzer minimizes the input with a pass that tries every subrange
// of its bytes (go1.26 src/internal/fuzz/minimize.go, minimizeBytes:
// O(n²) runs, each resetting the coverage counters), for up to
// -fuzzminimizetime (60 s by default), and reports no execs meanwhile.
// A 40 KB input grown by mutation held both workers there after ~15 s of
// fuzzing, which looked like a hang; no single run of fastParse or
// yaml.v3 took over 3 s (a watchdog in the target said so). With 1 KB the
// stall remained (3,100 execs in 60 s); with 256 bytes, 630,000 execs in
// 60 s and none. -fuzzminimizetime 3s is the other way out.
const maxFuzzInput = 256

// FuzzFastParse: whatever fastParse reads, it reads as yaml.v3 does.
// Inputs beyond maxFuzzInput are not run.
func FuzzFastParse(f *testing.F) {
	for _, s := range []string{
		"a: b\nc:\n  - d\n  - 'e''f'\n",
		"k: |-\n  x\n\n  y\nl: [a, \"b\\u00e9\", 'c']\n",
		"k: |\n   lead\n  x\nm: {}\n",
		"k: |+\n  x\n\n",
		"- a: 1\n  b: [x]\n- c\n",
		"a: 'x''y'\nb: 'z'\nc: \"p\\\"q\"\nd: \"r\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		checkFast(t, "fuzz", data)
	})
}
