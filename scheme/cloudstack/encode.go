package cloudstack

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sigconform/sigconform/internal/percent"
)

// javaUnreserved reports the bytes java.net.URLEncoder leaves as they are:
// A-Z a-z 0-9 and ". - * _". Unlike RFC 3986 it keeps '*' and escapes '~'.
func javaUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '*' || c == '_'
}

// escape percent-encodes the UTF-8 bytes of s that keep does not accept, in
// upper-case hex, writing a space as space. A Go string may hold invalid
// UTF-8, which a Java String cannot; such bytes are treated as U+FFFD, the
// character Java would have decoded them to.
func escape(s string, keep func(byte) bool, space string) string {
	return percent.Encode(strings.ToValidUTF8(s, "\uFFFD"), keep, space)
}

// JavaURLEncode is java.net.URLEncoder.encode(s, "UTF-8"): A-Z a-z 0-9 and
// ". - * _" stay, a space becomes "+", every other byte of the UTF-8 form
// becomes %XX in upper-case hex. Signed URLs carry values encoded this way.
func JavaURLEncode(s string) string { return escape(s, javaUnreserved, "+") }

// EncodeValue encodes a parameter value the way ApiServer.verifyRequest does
// before signing: URLEncoder.encode(value, "UTF-8").replaceAll("\\+", "%20").
// Because URLEncoder turns a literal '+' into %2B, only spaces become %20.
func EncodeValue(s string) string { return escape(s, javaUnreserved, "%20") }

// ErrBadEscape is returned for a '%' not followed by two hex digits, which
// both the servlet container and java.net.URLDecoder refuse.
var ErrBadEscape = errors.New("malformed percent escape")

// DecodeComponent decodes one query-string name or value the way
// java.net.URLDecoder.decode(s, "UTF-8") does: '+' is a space, runs of %XX
// are collected into bytes and decoded as UTF-8, each malformed sequence
// becoming one U+FFFD (Java's replacement), other characters stay as they
// are. A '%' without two hex digits after it is an error.
func DecodeComponent(s string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s)) // decoding never lengthens: %XX is three bytes, as is a U+FFFD in its place
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
			i++
		case '%':
			var raw []byte
			for i < len(s) && s[i] == '%' {
				if i+2 >= len(s) {
					return "", fmt.Errorf("%w: incomplete escape at offset %d of %q", ErrBadEscape, i, s)
				}
				c, ok := percent.Unescape(s, i)
				if !ok {
					return "", fmt.Errorf("%w: %q at offset %d", ErrBadEscape, s[i:i+3], i)
				}
				raw = append(raw, c)
				i += 3
			}
			b.WriteString(decodeUTF8Java(raw))
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// decodeUTF8Java decodes b as Java's UTF-8 decoder does with the REPLACE
// action: each maximal ill-formed subsequence becomes a single U+FFFD.
func decodeUTF8Java(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError || n > 1 {
			sb.WriteRune(r)
			b = b[n:]
			continue
		}
		sb.WriteRune(utf8.RuneError)
		b = b[maximalSubpart(b):]
	}
	return sb.String()
}

// maximalSubpart is the length of the ill-formed sequence at the start of b:
// a lead byte and the continuation bytes that could still have begun a valid
// character (Unicode 3.9, table 3-7), at least 1.
func maximalSubpart(b []byte) int {
	lo, hi := byte(0x80), byte(0xBF)
	var need int
	switch lead := b[0]; {
	case 0xC2 <= lead && lead <= 0xDF:
		need = 1
	case lead == 0xE0:
		need, lo = 2, 0xA0
	case lead == 0xED:
		need, hi = 2, 0x9F
	case 0xE1 <= lead && lead <= 0xEF:
		need = 2
	case lead == 0xF0:
		need, lo = 3, 0x90
	case 0xF1 <= lead && lead <= 0xF3:
		need = 3
	case lead == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	i := 1
	for ; i <= need && i < len(b); i++ {
		c := b[i]
		if i == 1 && (c < lo || c > hi) || i > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
	}
	return i
}

// JavaLowerCase is String.toLowerCase() in a non-Turkish locale. Beyond
// per-character lowercasing Java applies two context rules that Go's
// strings.ToLower does not: U+0130 (İ) becomes "i\u0307", and a capital
// sigma at the end of a word becomes final sigma ς. The word-boundary test
// approximates Java's (cased letters, skipping case-ignorable marks).
func JavaLowerCase(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	rs := []rune(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && finalSigma(rs, i):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func cased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

func caseIgnorable(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) ||
		strings.ContainsRune("'.:^`\u00B7\u2018\u2019\u2024\u2027", r)
}

// finalSigma reports whether rs[i] is preceded by a cased letter and not
// followed by one, skipping case-ignorable characters on both sides.
func finalSigma(rs []rune, i int) bool {
	before := false
	for j := i - 1; j >= 0; j-- {
		if !caseIgnorable(rs[j]) {
			before = cased(rs[j])
			break
		}
	}
	if !before {
		return false
	}
	for j := i + 1; j < len(rs); j++ {
		if !caseIgnorable(rs[j]) {
			return !cased(rs[j])
		}
	}
	return true
}

// CompareJava compares a and b as Java's String.compareTo does: by UTF-16
// code units. It differs from Go's byte order only when a character above
// U+FFFF meets one in U+E000..U+FFFF.
func CompareJava(a, b string) int {
	// Character by character, as []rune reads a string (an invalid byte
	// is U+FFFD); the first that differs decides, by its UTF-16 units.
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			var ua, ub [2]uint16
			return slices.Compare(utf16.AppendRune(ua[:0], ra), utf16.AppendRune(ub[:0], rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b)) // the one left over is the longer
}

// SortJava sorts names in place as Collections.sort does for Strings.
func SortJava(names []string) { slices.SortFunc(names, CompareJava) }
