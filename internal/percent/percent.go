// Package percent is the one percent-encoder the schemes share. Each
// scheme's rule is a choice of which bytes stay as they are and what a
// space becomes; the escaping itself (every other byte of the UTF-8 form
// as %XX in upper-case hex) is the same for all of them, so it is written
// once, here.
package percent

import "strings"

const upperHex = "0123456789ABCDEF"

// Unreserved reports RFC 3986's unreserved set, A-Z a-z 0-9 and "- . _ ~":
// what SigV4 and SigV2 keep, and Go's url.QueryEscape, Python 3's quote and
// Ruby's CGI.escape too.
func Unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// Encode writes the bytes of s that keep accepts as they are, a space that
// keep does not accept as space ("" for %20, "+" for the form encoding),
// and every other byte as %XX in upper-case hex.
func Encode(s string, keep func(byte) bool, space string) string {
	// Most names and values need no escape, and are returned as they are;
	// the others are written into one buffer of at most their final size.
	i := 0
	for i < len(s) && keep(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	escaped := 0
	for j := i; j < len(s); j++ {
		if !keep(s[j]) {
			escaped++
		}
	}
	var b strings.Builder
	b.Grow(len(s) + 2*escaped)
	b.WriteString(s[:i])
	Write(&b, s[i:], keep, space)
	return b.String()
}

// Write is Encode writing into b, for a caller that joins many encoded
// pieces (a canonical query) and so need not make a string of each.
func Write(b *strings.Builder, s string, keep func(byte) bool, space string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case keep(c):
			b.WriteByte(c)
		case c == ' ' && space != "":
			b.WriteString(space)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0xF])
		}
	}
}

// Unescape is the decoding side, for the schemes that read escapes back:
// the byte the escape at s[i] stands for, and whether s[i:] starts with
// one ('%' and two hex digits of either case).
func Unescape(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' {
		return 0, false
	}
	hi, ok1 := unhex(s[i+1])
	lo, ok2 := unhex(s[i+2])
	return hi<<4 | lo, ok1 && ok2
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Escape is RFC 3986 escaping as the schemes write a URL: every byte
// outside the unreserved set as %XX in upper-case hex, a space as %20.
func Escape(s string) string { return Encode(s, Unreserved, "") }
