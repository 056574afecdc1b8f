package sigv4

import (
	"runtime"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
)

// The shortcuts that return their input as it is (isTrimmed,
// alreadyNormal) must agree with the general path on every input: the
// header value's is checked against the rule written out in full, the
// path's against normalizeSegments, the path without the shortcut.
func TestShortcutsAgree(t *testing.T) {
	values := []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\r", `"a   b"`, "a b c", "  ", "x y  "}
	for _, v := range values {
		want := strings.Join(strings.FieldsFunc(v, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == '\r'
		}), " ")
		if got := TrimHeaderValue(v); got != want {
			t.Errorf("TrimHeaderValue(%q) = %q, want %q", v, got, want)
		}
	}
	paths := []string{"", "/", "//", "/a", "/a/", "/a//", "/a/b", "a/b", "/./", "/a/.", "/a/..", "/..", "/a/.b", "/a/..b/", "/a/b/c/", "//a"}
	for _, p := range paths {
		if got, want := NormalizePath(p), normalizeSegments(p); got != want {
			t.Errorf("NormalizePath(%q) = %q, want %q", p, got, want)
		}
	}
}

// A request repeating one header thousands of times (conform serve may be
// sent one) costs memory in proportion to its size: four times the
// headers, about four times the bytes, where joining the values one at a
// time took sixteen. Bytes allocated, not time, so that a busy machine
// cannot make it fail.
func TestCanonicalHeaderListLinear(t *testing.T) {
	alloc := func(n int) uint64 {
		hs := []sigconform.Header{{Name: "Host", Value: "example.com"}}
		for range n {
			hs = append(hs, sigconform.Header{Name: "X-Rep", Value: "value"})
		}
		keep := func(string) bool { return true }
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		canonicalHeaderList(hs, keep, rules{})
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(5000), alloc(20000)
	if large > 6*small {
		t.Errorf("4x the repeated headers allocated %.1fx the bytes (%d, %d): not linear", float64(large)/float64(small), small, large)
	}
}
