package generators

import (
	"fmt"
	"strings"
)

// ValueEdge is a parameter value that canonicalization has been seen to get
// wrong, named for the case ids it produces.
type ValueEdge struct {
	Name  string // part of a case id: char-2a, utf8-3-byte, ...
	Title string // "a value holding '*'"
	Value string
	Tags  []string
}

// ValueEdges lists, in a fixed order, the values every scheme's generator
// pins: each printable ASCII character alone, the characters known to
// diverge in mixes, UTF-8 of every length, already percent-encoded input,
// the empty value and a long one.
func ValueEdges() []ValueEdge {
	var out []ValueEdge
	for c := byte(0x20); c < 0x7f; c++ {
		out = append(out, ValueEdge{
			Name:  fmt.Sprintf("char-%02x", c),
			Title: fmt.Sprintf("a value holding %s alone", charName(c)),
			Value: string(c),
			Tags:  []string{"encoding", "ascii"},
		})
	}
	mixes := []ValueEdge{
		{"space-in-value", "a value with a space inside", "hello world", nil},
		{"plus-in-value", "a value with a plus sign", "a+b", nil},
		{"space-and-plus", "a value with both a space and a plus sign", "a b+c", nil},
		{"percent-in-value", "a value with a bare percent sign", "100%", nil},
		{"star-and-tilde", "a value with '*' and '~', which Java's URLEncoder and RFC 3986 treat oppositely", "a*b~c", nil},
		{"slash-in-value", "a value with slashes", "/path/to/thing", nil},
		{"equals-and-ampersand", "a value holding '=' and '&'", "a=b&c=d", nil},
		{"brackets", "a value with square brackets", "[0]", nil},
		{"sub-delims", "a value with RFC 3986 sub-delimiters", "!$'()*,;", nil},
		{"already-encoded", "a value that is already percent-encoded", "a%20b%2Fc", nil},
		{"double-encoded", "a value that holds an encoded percent sign", "%2520", nil},
		{"utf8-2-byte", "a value with a 2-byte UTF-8 character", "caf\u00e9", []string{"utf8"}},
		{"utf8-3-byte", "a value with a 3-byte UTF-8 character", "\u20ac100", []string{"utf8"}},
		{"utf8-4-byte", "a value with a 4-byte UTF-8 character", "\U0001F600", []string{"utf8"}},
		{"utf8-mixed", "a value mixing scripts", "na\u00efve \u65e5\u672c", []string{"utf8"}},
		{"empty-value", "an empty value", "", nil},
		{"long-value", "a 4 KiB value", strings.Repeat("0123456789abcdef", 256), []string{"long"}},
		{"uppercase-value", "a value in capitals, which lowercasing schemes fold", "ABCxyz", nil},
	}
	for _, m := range mixes {
		m.Tags = append([]string{"encoding"}, m.Tags...)
		out = append(out, m)
	}
	return out
}

// charName names an ASCII character for a title.
func charName(c byte) string {
	if c == ' ' {
		return "a space"
	}
	if c == '\'' {
		return `"'"`
	}
	return "'" + string(c) + "'"
}
