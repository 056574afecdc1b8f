package sigv4

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
)

// URIEncode percent-encodes s as SigV4 requires: the RFC 3986 unreserved
// characters A-Z a-z 0-9 - _ . ~ are kept, every other byte becomes %XX with
// uppercase hex. When keepSlash is set, '/' is kept too (paths).
//
// This is stricter than Go's url.QueryEscape (which writes a space as '+')
// and url.PathEscape (which keeps sub-delims such as '=' and ':'); AWS's
// "URI-encode each byte" rule keeps nothing else.
func URIEncode(s string, keepSlash bool) string {
	if keepSlash {
		return percent.Encode(s, isUnreservedOrSlash, "")
	}
	return percent.Encode(s, percent.Unreserved, "")
}

func isUnreservedOrSlash(c byte) bool { return c == '/' || percent.Unreserved(c) }

// percentDecode decodes %XX escapes. A '%' not followed by two hex digits is
// kept as a literal '%' (it is then encoded as %25), and '+' stays a '+': in
// a SigV4 query a plus sign is a plus sign, not a space.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c, ok := percent.Unescape(s, i); ok {
			b.WriteByte(c)
			i += 2
			continue
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
	if alreadyNormal(p) {
		return p
	}
	return normalizeSegments(p)
}

// normalizeSegments is NormalizePath without its shortcut for a path that
// is already normal: every segment read, "." and empty ones dropped, ".."
// removing the one before it.
func normalizeSegments(p string) string {
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

// alreadyNormal reports whether NormalizePath would return p as it is: p
// starts with '/' and no segment is empty ("//", but a trailing '/'), "."
// or "..".
func alreadyNormal(p string) bool {
	rest, ok := strings.CutPrefix(p, "/")
	if !ok {
		return false
	}
	for rest != "" {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
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
	b.Grow(len(path))
	for i := 0; i < len(path); i++ {
		if _, ok := percent.Unescape(path, i); ok {
			b.WriteString(path[i : i+3])
			i += 2
			continue
		}
		// path[i:i+1], not string(c): string of a byte is the
		// rune U+00XX, which would encode a UTF-8 byte as two.
		b.WriteString(URIEncode(path[i:i+1], true))
	}
	return b.String()
}

// queryPair is one query parameter, decoded, or as written in the URL
// when raw is set (query-not-reencoded).
type queryPair struct {
	key, value string
	raw        bool
}

// parseQuery splits a raw query string into decoded pairs, in order. A key
// without '=' has an empty value; empty pieces ("a=1&&b=2") are dropped.
func parseQuery(raw string) []queryPair {
	return parseQueryFor(raw, rules{})
}

// parseQueryFor is parseQuery as a variant's client parses the URL's
// query: semicolon-pair-dropped skips a piece holding a raw ';' (Go's
// url.ParseQuery), value-cut-at-equals keeps a value up to a second '=',
// valueless-key-dropped skips a name without '=' unless the name is
// repeated (then its value is the string "null"), and
// query-not-reencoded keeps every piece as written, an empty one too.
func parseQueryFor(raw string, r rules) []queryPair {
	if raw == "" {
		return nil
	}
	pieces := strings.Split(raw, "&")
	out := make([]queryPair, 0, len(pieces))
	names := map[string]int{}
	if r.valuelessDropped {
		for _, piece := range pieces {
			k, _, _ := strings.Cut(piece, "=")
			names[percentDecode(k)]++
		}
	}
	for _, piece := range pieces {
		if r.semicolonDropped && strings.Contains(piece, ";") {
			continue
		}
		k, v, hasValue := strings.Cut(piece, "=")
		if r.queryRaw {
			out = append(out, queryPair{k, v, true})
			continue
		}
		if piece == "" {
			continue
		}
		if r.valueCutAtEquals {
			v, _, _ = strings.Cut(v, "=")
		}
		if r.valuelessDropped && !hasValue {
			if names[percentDecode(k)] < 2 {
				continue
			}
			v = "null"
		}
		out = append(out, queryPair{key: percentDecode(k), value: percentDecode(v)})
	}
	return out
}

// decoded is the parameter's name and value decoded.
func (p queryPair) decoded() (string, string) {
	if p.raw {
		return percentDecode(p.key), percentDecode(p.value)
	}
	return p.key, p.value
}

// CanonicalQueryString is the third line of the canonical request: every
// parameter of the raw query, decoded and re-encoded with URIEncode, sorted
// by encoded name and then encoded value (byte order, so "Param1" sorts
// before "param1"), joined with '&'. A name without '=' gets an empty value.
func CanonicalQueryString(rawQuery string) string {
	return canonicalPairs(parseQuery(rawQuery), rules{})
}

// canonicalPairs encodes the pairs (a raw pair is kept as written) and
// sorts them by encoded name and value, or with query-sorted-before-encoding
// by decoded name and value.
func canonicalPairs(pairs []queryPair, r rules) string {
	type sortable struct{ enc, dec queryPair }
	all := make([]sortable, len(pairs))
	for i, p := range pairs {
		dk, dv := p.decoded()
		all[i].dec = queryPair{key: dk, value: dv}
		if p.raw {
			all[i].enc = queryPair{key: p.key, value: p.value}
		} else {
			all[i].enc = queryPair{key: URIEncode(p.key, false), value: URIEncode(p.value, false)}
		}
	}
	slices.SortStableFunc(all, func(x, y sortable) int {
		a, b := x.enc, y.enc
		if r.sortDecoded {
			a, b = x.dec, y.dec
		}
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.value, b.value))
	})
	size := 0
	for _, p := range all {
		size += len(p.enc.key) + len(p.enc.value) + 2
	}
	var b strings.Builder
	b.Grow(size)
	for i, p := range all {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.enc.key)
		b.WriteByte('=')
		b.WriteString(p.enc.value)
	}
	return b.String()
}

// TrimHeaderValue trims leading and trailing whitespace and collapses every
// run of spaces or tabs inside the value into one space, quoted strings
// included (aws-sig-v4-test-suite get-header-value-trim: `"a   b   c"`
// becomes `"a b c"`).
func TrimHeaderValue(v string) string {
	if isTrimmed(v) {
		return v
	}
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

// isTrimmed reports whether TrimHeaderValue would return v as it is: no
// space, tab, CR or LF at either end, nor any but single spaces inside.
func isTrimmed(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\t', '\n', '\r':
			return false
		case ' ':
			if i == 0 || i == len(v)-1 || v[i+1] == ' ' {
				return false
			}
		}
	}
	return true
}

// canonHeader is one lowercased header name and its canonical value.
type canonHeader struct{ name, value string }

// trimValue canonicalizes one header value as the rules say.
func trimValue(v string, r rules) string {
	if r.quotedOnlyTrimmed && strings.Contains(v, `"`) {
		return strings.TrimSpace(v)
	}
	switch r.headerTrim {
	case trimSpaceRuns:
		v = strings.TrimSpace(v)
		for strings.Contains(v, "  ") {
			v = strings.ReplaceAll(v, "  ", " ")
		}
		return v
	case trimEnds:
		return strings.TrimSpace(v)
	}
	return TrimHeaderValue(v)
}

// canonicalHeaderList lowercases names, trims values, joins the values of a
// repeated header with ',' in the order they appear, and sorts by name. Only
// headers whose lowercased name satisfies keep are included. The variants:
// repeated-header-joined-before-trim joins the raw values first; libcloud
// sorts by the names as first written.
func canonicalHeaderList(hs []sigconform.Header, keep func(string) bool, r rules) []canonHeader {
	// One entry per name, in the order of first appearance; written is
	// the name as first written, for libcloud's sort; values holds the
	// raw values of a repeated header (nil for one that is not).
	type entry struct {
		canonHeader
		written string
		values  []string
	}
	entries := make([]entry, 0, len(hs))
	// A real request has a few headers, which a scan finds faster than a
	// map; past manyHeaders names a map takes over, so that a request
	// with thousands of headers (which conform serve may be sent) costs
	// linear time, not quadratic.
	const manyHeaders = 16
	var index map[string]int
	for _, h := range hs {
		name := strings.ToLower(strings.TrimSpace(h.Name))
		if !keep(name) {
			continue
		}
		i, seen := index[name] // a nil index finds nothing
		if index == nil {
			i = slices.IndexFunc(entries, func(e entry) bool { return e.name == name })
			seen = i >= 0
		}
		if seen {
			e := &entries[i]
			if e.values == nil {
				e.values = []string{e.value}
			}
			e.values = append(e.values, h.Value)
			continue
		}
		entries = append(entries, entry{canonHeader: canonHeader{name: name, value: h.Value}, written: strings.TrimSpace(h.Name)})
		switch {
		case index != nil:
			index[name] = len(entries) - 1
		case len(entries) > manyHeaders:
			index = make(map[string]int, len(hs))
			for j, e := range entries {
				index[e.name] = j
			}
		}
	}
	for i := range entries {
		e := &entries[i]
		switch {
		case r.repeatedJoinFirst && e.values != nil:
			e.value = TrimHeaderValue(strings.Join(e.values, ","))
		case r.repeatedJoinFirst:
			e.value = TrimHeaderValue(e.value)
		case e.values != nil:
			for j, v := range e.values {
				e.values[j] = trimValue(v, r)
			}
			e.value = strings.Join(e.values, ",")
		default:
			e.value = trimValue(e.value, r)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		if r.sortAsWritten {
			return strings.Compare(a.written, b.written)
		}
		return strings.Compare(a.name, b.name)
	})
	sorted := make([]canonHeader, len(entries))
	for i, e := range entries {
		sorted[i] = e.canonHeader
	}
	return sorted
}

// CanonicalHeaders returns the canonical headers block (each "name:value\n")
// and the signed headers list ("a;b;c") of hs.
func CanonicalHeaders(hs []sigconform.Header) (block, signed string) {
	list := canonicalHeaderList(hs, func(string) bool { return true }, rules{})
	return formatHeaders(list)
}

func formatHeaders(list []canonHeader) (block, signed string) {
	blockSize, signedSize := 0, 0
	for _, h := range list {
		blockSize += len(h.name) + len(h.value) + 2
		signedSize += len(h.name) + 1
	}
	var b, n strings.Builder
	b.Grow(blockSize)
	n.Grow(signedSize)
	for i, h := range list {
		b.WriteString(h.name)
		b.WriteByte(':')
		b.WriteString(h.value)
		b.WriteByte('\n')
		if i > 0 {
			n.WriteByte(';')
		}
		n.WriteString(h.name)
	}
	return b.String(), n.String()
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
	return hex32(sum[:])
}

// hex32 is the lowercase hex of a 32-byte digest, built on the stack so
// that the string is its one allocation (hex.EncodeToString makes two).
func hex32(digest []byte) string {
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], digest)
	return string(out[:])
}

// Scope is the credential scope date/region/service/aws4_request.
func Scope(date, region, service string) string {
	return date + "/" + region + "/" + service + "/aws4_request"
}

// StringToSign is "AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex SHA-256 of
// the canonical request>".
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HashHex(canonicalRequest)
}

// canonicalURIFor is the canonical URI as the rules make it from the path.
// Every path variant but path-unencoded changes only a normalized path
// (normalize set); an S3 path is already signed as sent.
func canonicalURIFor(path string, normalize bool, r rules) string {
	switch {
	case r.path == pathAsWritten:
		return path
	case r.path == pathDecoded:
		if path == "" {
			path = "/"
		}
		// url.PathUnescape, as versitygw's DecodeURL; a path it
		// cannot decode is refused there, and kept here.
		if d, err := url.PathUnescape(path); err == nil {
			path = d
		}
		return URIEncode(path, true)
	case !normalize:
	case r.path == pathNoNormalize:
		if path == "" {
			path = "/"
		}
		return URIEncode(path, true)
	case r.path == pathPosix:
		return posixCanonicalURI(path)
	case r.path == pathEscapedFirst:
		path = escapeUnsafePath(path)
	}
	return CanonicalURI(path, normalize)
}

// posixCanonicalURI is boto 2's canonical URI: quote(posixpath.normpath(p)),
// with '/' put back when p is longer than one byte and ends with '/'.
func posixCanonicalURI(p string) string {
	if p == "" {
		p = "/"
	}
	s := URIEncode(posixNormpath(p), true)
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		s += "/"
	}
	return s
}

// posixNormpath is Python's posixpath.normpath: "." and empty segments
// dropped, ".." pops (never above the root), and a path starting with
// exactly two slashes keeps both (POSIX leaves "//" implementation-defined).
func posixNormpath(p string) string {
	if p == "" {
		return "."
	}
	slashes := 0
	if strings.HasPrefix(p, "/") {
		slashes = 1
		if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
			slashes = 2
		}
	}
	var comps []string
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "" || c == ".":
		case c != ".." || (slashes == 0 && len(comps) == 0) || (len(comps) > 0 && comps[len(comps)-1] == ".."):
			comps = append(comps, c)
		case len(comps) > 0:
			comps = comps[:len(comps)-1]
		}
	}
	s := strings.Repeat("/", slashes) + strings.Join(comps, "/")
	if s == "" {
		return "."
	}
	return s
}

// escapeUnsafePath percent-encodes, as aws4's parsePath does with
// encodeURI, every byte of p outside 0-9 A-Z a-z ; , / ? : @ & = + $ - _ . ! ~ * ' ( ) # %
// (a space, a control byte, a byte of non-ASCII UTF-8); escapes already
// there are kept.
func escapeUnsafePath(p string) string {
	return percent.Encode(p, encodeURISafe, "")
}

// encodeURISafe reports the bytes JavaScript's encodeURI leaves alone,
// with '%' too, so that escapes already there stay.
func encodeURISafe(c byte) bool {
	return percent.Unreserved(c) || strings.IndexByte(";,/?:@&=+$-_.!~*'()#%", c) >= 0
}

func hmacSHA256(key []byte, msg string) []byte {
	return appendHMACSHA256(nil, key, msg)
}

// appendHMACSHA256 appends the HMAC-SHA256 of msg under key to dst. dst
// may be key's own storage: hmac.New has copied the key before Sum writes.
func appendHMACSHA256(dst, key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(dst)
}

// SigningKey derives the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
// with date as YYYYMMDD.
func SigningKey(secret, date, region, service string) []byte {
	k := appendHMACSHA256(nil, []byte("AWS4"+secret), date)
	k = appendHMACSHA256(k[:0], k, region)
	k = appendHMACSHA256(k[:0], k, service)
	return appendHMACSHA256(k[:0], k, "aws4_request")
}

// Signature is the lowercase hex HMAC-SHA256 of the string to sign under
// the signing key.
func Signature(signingKey []byte, stringToSign string) string {
	return hex32(hmacSHA256(signingKey, stringToSign))
}

// AuthorizationHeader formats the Authorization header value.
func AuthorizationHeader(accessKey, scope, signedHeaders, signature string) string {
	return Algorithm + " Credential=" + accessKey + "/" + scope +
		", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

// canonicalInput is everything a canonical request is built from.
type canonicalInput struct {
	method    string
	u         parsedURL
	headers   []sigconform.Header
	signed    []string // lowercased header names to sign
	query     []queryPair
	payload   string
	normalize bool
	formBody  string // the form body when params-in-canonical-query applies
	r         rules
}

// build returns the canonical request and the signed headers list. A header
// named in signed but absent is reported.
func (c canonicalInput) build() (creq, signedHeaders string, err error) {
	keep := func(n string) bool { return slices.Contains(c.signed, n) }
	list := canonicalHeaderList(c.headers, keep, c.r)
	if len(list) != len(c.signed) {
		for _, n := range c.signed {
			if !slices.ContainsFunc(list, func(h canonHeader) bool { return h.name == n }) {
				return "", "", fmt.Errorf("signed header %q is not in the request", n)
			}
		}
		return "", "", fmt.Errorf("signed headers %q listed twice", strings.Join(c.signed, ";"))
	}
	block, signedHeaders := formatHeaders(list)
	query := c.query
	if c.r.formParamsInQuery && c.formBody != "" {
		query = append(slices.Clone(query), formDecode(c.formBody)...)
	}
	cq := canonicalPairs(query, c.r)
	if c.r.goValuesQuery {
		cq = goValuesQuery(c.u.rawQuery)
	}
	if (c.r.postQueryIgnored || c.r.postQueryInBody) && strings.EqualFold(c.method, "POST") {
		cq = ""
	}
	uri := canonicalURIFor(c.u.path, c.normalize, c.r)
	creq = CanonicalRequest(c.method, uri, cq, block, signedHeaders, c.payload)
	return creq, signedHeaders, nil
}

// goValuesQuery is gofakes3's canonical query: Go's url.ParseQuery of the
// raw query (a piece with ';' or a bad escape skipped, '+' read as a
// space) without X-Amz-Signature, written by url.Values.Encode (names
// sorted, a name's values in request order) with '+' as %20
// (rclone/gofakes3@v0.0.12:signature/signature-v4.go:236,313-314,121-122).
func goValuesQuery(rawQuery string) string {
	v, _ := url.ParseQuery(rawQuery) // the pieces it cannot read are skipped, as gofakes3 does
	v.Del("X-Amz-Signature")
	return strings.ReplaceAll(v.Encode(), "+", "%20")
}
