package sigv4

import (
	"strings"
	"testing"
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
