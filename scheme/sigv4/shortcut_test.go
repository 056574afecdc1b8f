package sigv4

import (
	"strings"
	"testing"
)

// The shortcuts that return their input as it is (isTrimmed,
// alreadyNormal) must agree with the general path on every input: here
// each is checked against the rule written out in full.
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

// normalizeSegments is NormalizePath without its shortcut.
func normalizeSegments(p string) string {
	if p == "" {
		return "/"
	}
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	s := "/" + strings.Join(out, "/")
	if strings.HasSuffix(p, "/") && len(out) > 0 {
		s += "/"
	}
	return s
}
