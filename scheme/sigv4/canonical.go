package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/sigconform/sigconform"
)

// URIEncode percent-encodes s as SigV4 requires: the RFC 3986 unreserved
// characters A-Z a-z 0-9 - _ . ~ are kept, every other byte becomes %XX with
// uppercase hex. When keepSlash is set, '/' is kept too (paths).
//
// This is stricter than Go's url.QueryEscape (which writes a space as '+')
// and url.PathEscape (which keeps sub-delims such as '=' and ':'); AWS's
// "URI-encode each byte" rule keeps nothing else.
func URIEncode(s string, keepSlash bool) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
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

// percentDecode decodes %XX escapes. A '%' not followed by two hex digits is
// kept as a literal '%' (it is then encoded as %25), and '+' stays a '+': in
// a SigV4 query a plus sign is a plus sign, not a space.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// NormalizePath removes "." and ".." segments and empty segments ("//") from
// an absolute path, keeping a trailing slash when anything is left before
// it, as AWS's own signers do (botocore auth.py remove_dot_segments; the
// aws-sig-v4-test-suite normalize-path cases: "//example//" -> "/example/",
// "/example/.." -> "/", "/./" -> "/"). An empty path is "/".
func NormalizePath(p string) string {
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

// CanonicalURI is the second line of the canonical request.
//
// With normalize set (every service but S3) the path is normalized and then
// URI-encoded as a whole, so an escape already on the wire is encoded a
// second time ("%20" -> "%2520"): AWS's "double encoding" for non-S3
// services (botocore SigV4Auth._normalize_url_path; aws-c-auth
// use_double_uri_encode).
//
// Without it (S3) the path is neither normalized nor encoded again: escapes
// already present are kept, and only bytes that cannot appear on the wire
// unescaped (a space, non-ASCII) are encoded once. For a path sent
// correctly encoded this is the path as sent, which is what S3 signs.
func CanonicalURI(path string, normalize bool) string {
	if path == "" {
		path = "/"
	}
	if normalize {
		return URIEncode(NormalizePath(path), true)
	}
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' && i+2 < len(path) {
			if _, ok := unhex(path[i+1]); ok {
				if _, ok := unhex(path[i+2]); ok {
					b.WriteString(path[i : i+3])
					i += 2
					continue
				}
			}
		}
		// path[i:i+1], not string(c): string of a byte is the
		// rune U+00XX, which would encode a UTF-8 byte as two.
		b.WriteString(URIEncode(path[i:i+1], true))
	}
	return b.String()
}

// queryPair is one decoded query parameter.
type queryPair struct{ key, value string }

// parseQuery splits a raw query string into decoded pairs, in order. A key
// without '=' has an empty value; empty pieces ("a=1&&b=2") are dropped.
func parseQuery(raw string) []queryPair {
	var out []queryPair
	for _, piece := range strings.Split(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		out = append(out, queryPair{percentDecode(k), percentDecode(v)})
	}
	return out
}

// CanonicalQueryString is the third line of the canonical request: every
// parameter of the raw query, decoded and re-encoded with URIEncode, sorted
// by encoded name and then encoded value (byte order, so "Param1" sorts
// before "param1"), joined with '&'. A name without '=' gets an empty value.
func CanonicalQueryString(rawQuery string) string {
	return canonicalPairs(parseQuery(rawQuery))
}

func canonicalPairs(pairs []queryPair) string {
	enc := make([]queryPair, len(pairs))
	for i, p := range pairs {
		enc[i] = queryPair{URIEncode(p.key, false), URIEncode(p.value, false)}
	}
	sort.SliceStable(enc, func(i, j int) bool {
		if enc[i].key != enc[j].key {
			return enc[i].key < enc[j].key
		}
		return enc[i].value < enc[j].value
	})
	parts := make([]string, len(enc))
	for i, p := range enc {
		parts[i] = p.key + "=" + p.value
	}
	return strings.Join(parts, "&")
}

// TrimHeaderValue trims leading and trailing whitespace and collapses every
// run of spaces or tabs inside the value into one space, quoted strings
// included (aws-sig-v4-test-suite get-header-value-trim: `"a   b   c"`
// becomes `"a b c"`).
func TrimHeaderValue(v string) string {
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

// canonHeader is one lowercased header name and its canonical value.
type canonHeader struct{ name, value string }

// canonicalHeaderList lowercases names, trims values, joins the values of a
// repeated header with ',' in the order they appear, and sorts by name. Only
// headers whose lowercased name satisfies keep are included.
func canonicalHeaderList(hs []sigconform.Header, keep func(string) bool) []canonHeader {
	idx := map[string]int{}
	var out []canonHeader
	for _, h := range hs {
		name := strings.ToLower(strings.TrimSpace(h.Name))
		if !keep(name) {
			continue
		}
		v := TrimHeaderValue(h.Value)
		if i, ok := idx[name]; ok {
			out[i].value += "," + v
			continue
		}
		idx[name] = len(out)
		out = append(out, canonHeader{name, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// CanonicalHeaders returns the canonical headers block (each "name:value\n")
// and the signed headers list ("a;b;c") of hs.
func CanonicalHeaders(hs []sigconform.Header) (block, signed string) {
	list := canonicalHeaderList(hs, func(string) bool { return true })
	return formatHeaders(list)
}

func formatHeaders(list []canonHeader) (block, signed string) {
	var b strings.Builder
	names := make([]string, len(list))
	for i, h := range list {
		b.WriteString(h.name + ":" + h.value + "\n")
		names[i] = h.name
	}
	return b.String(), strings.Join(names, ";")
}

// CanonicalRequest joins the six parts of a SigV4 canonical request:
// method, canonical URI, canonical query string, canonical headers (each
// line ending in '\n', so a blank line follows them), signed headers and
// the payload hash.
func CanonicalRequest(method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash string) string {
	return strings.Join([]string{method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash}, "\n")
}

// HashHex is the lowercase hex SHA-256 of s.
func HashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Scope is the credential scope date/region/service/aws4_request.
func Scope(date, region, service string) string {
	return fmt.Sprintf("%s/%s/%s/aws4_request", date, region, service)
}

// StringToSign is "AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex SHA-256 of
// the canonical request>".
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HashHex(canonicalRequest)
}
