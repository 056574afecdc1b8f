package generators

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/internal/tamper"
	"github.com/sigconform/sigconform/scheme/sigv4"
	"github.com/sigconform/sigconform/vectors"
)

// SigV4's generated vectors. Every case is signed by obviously fake test
// credentials at one fixed time, in region us-east-1 for the service
// "service" (the names AWS's own test suite uses), against the host
// example.amazonaws.com. A case pins one canonicalization edge: a query
// value or name, a path (normalized, and as S3 signs it with
// normalize_path=false), a header, a method and body, a form POST, a
// presigned URL, the payload hash; the verify topic tampers with a few
// signed requests.

func init() { register("sigv4", sigv4Files) }

const (
	sigv4Host    = "example.amazonaws.com"
	sigv4Base    = "https://" + sigv4Host
	sigv4Time    = "2024-01-02T03:04:05Z"
	sigv4Region  = "us-east-1"
	sigv4Service = "service"
	sigv4Token   = "sigconform-test-session-token/+=="
	// sigv4FormType is the content type that makes a POST body a form.
	sigv4FormType = "application/x-www-form-urlencoded; charset=utf-8"
)

var (
	sigv4Creds      = sigconform.Credentials{AccessKey: "AKIDSIGCONFORMTEST", SecretKey: "sigconform-test-secret/+="}
	sigv4OtherCreds = sigconform.Credentials{AccessKey: "AKIDSIGCONFORMTEST", SecretKey: "sigconform-other-secret"}
	sigv4Unknown    = "AKIDSIGCONFORMOTHER"
	sigv4NoNorm     = false
)

func sigv4Files() ([]*vectors.File, error) {
	var out []*vectors.File
	for _, gen := range []func() (*vectors.File, error){
		sigv4Encoding, sigv4Keys, sigv4Path, sigv4Headers, sigv4Methods,
		sigv4PostForm, sigv4Presign, sigv4Payload, sigv4Verify,
	} {
		f, err := gen()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// sigv4Input is a request to sign with the test credentials at the fixed
// time; the Host header is left for the signer to derive from the URL.
func sigv4Input(method, url string, headers []sigconform.Header, body string) sigconform.Input {
	return sigconform.Input{
		Credentials: sigv4Creds,
		Request:     sigconform.Request{Method: method, URL: url, Headers: headers, Body: body},
		Context:     sigconform.Context{Time: sigv4Time, Region: sigv4Region, Service: sigv4Service},
	}
}

// sigv4H builds a header list from name, value pairs.
func sigv4H(nv ...string) []sigconform.Header {
	var out []sigconform.Header
	for i := 0; i+1 < len(nv); i += 2 {
		out = append(out, sigconform.Header{Name: nv[i], Value: nv[i+1]})
	}
	return out
}

// sigv4Tags joins a case's class tags.
func sigv4Tags(tags ...[]string) []string {
	var out []string
	for _, t := range tags {
		for _, s := range t {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// sigv4Encoding: every shared value edge as the value of one query
// parameter, strictly percent-encoded into the URL, plus values whose
// encoding on the wire is not the canonical one.
func sigv4Encoding() (*vectors.File, error) {
	b := NewBuilder("sigv4", "encoding",
		"Query parameter values: each printable ASCII character alone and the shared value edges, sent in a GET query "+
			"strictly percent-encoded (RFC 3986, uppercase hex), then values whose escapes on the wire are not canonical. "+
			"Header-signed; expected values computed by scheme/sigv4.")
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name: e.Name, Title: "Query value: " + e.Title, Tags: sigv4Tags(e.Tags, []string{"params"}),
			Input: sigv4Input("GET", sigv4Base+"/?Param="+percent.Escape(e.Value), nil, ""),
		})
	}
	raw := []struct{ name, title, query, notes string }{
		{"encoded-tilde", "Query value with '~' sent as %7E", "Param=a%7Eb",
			"'~' is unreserved: the canonical query decodes %7E and writes '~'."},
		{"encoded-letter", "Query value with unreserved letters sent percent-encoded", "Param=%41%62%63",
			"Unreserved characters sent escaped are decoded: the canonical value is Abc."},
		{"lowercase-escape", "Query value with lowercase hex escapes", "Param=%2f%c3%a9",
			"Escapes in lowercase hex are decoded and re-encoded in uppercase: %2F%C3%A9."},
		{"raw-star", "Query value with a raw '*'", "Param=a*b",
			"Deliberately sends '*' unencoded (valid in a URL query); the canonical query encodes it as %2A. " +
				"A signer that copies the raw query (botocore's _canonical_query_string_url) signs 'a*b' instead."},
		{"raw-sub-delims", "Query value with raw sub-delimiters", "Param=!$'()*,;:@",
			"Deliberately sends RFC 3986 sub-delimiters, ':' and '@' unencoded; every one is %XX in the canonical query."},
		{"raw-slash-and-question-mark", "Query value with a raw '/' and '?'", "Param=/a?b",
			"Deliberately sends '/' and '?' unencoded (both allowed in a query); canonical: %2Fa%3Fb."},
	}
	for _, r := range raw {
		b.Sign(SignSpec{
			Name: r.name, Title: r.title, Tags: []string{"encoding", "params"}, Notes: r.notes,
			Input: sigv4Input("GET", sigv4Base+"/?"+r.query, nil, ""),
		})
	}
	return b.File()
}

// sigv4KeyChars are the characters put alone into a parameter name: every
// printable ASCII character that is not a letter or a digit.
func sigv4KeyChars() []byte {
	var out []byte
	for c := byte(0x20); c < 0x7f; c++ {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			out = append(out, c)
		}
	}
	return out
}

// sigv4KeyQueries are sigv4Keys's queries of keys without values, repeated
// keys, keys differing in case and names whose sort order is a trap.
var sigv4KeyQueries = []struct{ name, title, query, notes string }{
	{"empty-query", "URL ending in '?' with no parameters", "", "The canonical query is empty."},
	{"key-without-value", "A key with no '=' and no value", "flag", "A name without '=' is canonicalized as 'flag='."},
	{"key-with-empty-value", "A key with '=' and an empty value", "flag=", ""},
	{"key-without-value-among-others", "A key without value between other parameters", "b=2&flag&a=1", ""},
	{"keys-without-values", "Several keys without values", "z&y&x", ""},
	{"repeated-key", "One key given twice, values out of order", "a=2&a=1", "Repeated names are sorted by value: a=1&a=2."},
	{"repeated-key-same-value", "One key given twice with the same value", "a=1&a=1", "Both pairs are kept."},
	{"repeated-key-empty-value", "One key given with a value and without one", "a=1&a", "The empty value sorts first: a=&a=1."},
	{"repeated-key-many", "One key given five times", "k=5&k=3&k=1&k=4&k=2", ""},
	{"repeated-key-encoded-value-order", "Repeated key whose values sort differently encoded", "a=Z&a=%5B",
		"Values sort as encoded: %5B ('[') before Z, though '[' (0x5B) follows 'Z' (0x5A)."},
	{"case-differing-keys", "Keys that differ only in case", "param=2&Param=1", "Byte order: Param before param."},
	{"case-differing-keys-and-values", "Keys and values that differ only in case", "a=b&A=B&a=B&A=b", ""},
	{"sort-encoded-name", "Names whose order changes when encoded", "aZ=1&a%5B=2",
		"Names sort as encoded: a%5B before aZ, though the decoded '[' follows 'Z'."},
	{"sort-utf8-name", "A UTF-8 name and an ASCII one", "z=1&%C3%A9=2",
		"%C3%A9 sorts before z: '%' is 0x25."},
	{"sort-name-not-pair", "Names where sorting 'name=value' strings gives another order", "a-b=1&a=2",
		"Sorting by name gives a=2&a-b=1; sorting the joined 'name=value' strings would put a-b first ('-' < '=')."},
	{"sort-name-prefix", "A name that is a prefix of another", "ab=1&a=2&abc=3", ""},
	{"sort-unreserved-punctuation", "Names differing in an unreserved punctuation character", "a~b=4&a_b=3&a.b=2&a-b=1", ""},
	{"raw-equals-in-value", "A value with a raw '=' after the first one", "a=b=c",
		"Deliberately sends a second '=' unencoded: only the first splits name from value; canonical a=b%3Dc."},
	{"space-in-name-and-value", "A name and a value both with spaces", "my%20key=my%20value", ""},
}

// sigv4Keys: parameter names, keys without values, repetition, case and
// sort order.
func sigv4Keys() (*vectors.File, error) {
	b := NewBuilder("sigv4", "keys",
		"Query parameter names: edge characters in names (strictly percent-encoded), keys without values, repeated keys, "+
			"keys that differ in case, sort order of encoded names, many parameters. Header-signed GET; expected values "+
			"computed by scheme/sigv4.")
	for _, c := range sigv4KeyChars() {
		b.Sign(SignSpec{
			Name:  fmt.Sprintf("key-char-%02x", c),
			Title: fmt.Sprintf("Query name holding %s between letters", charName(c)),
			Tags:  []string{"encoding", "ascii", "params", "keys"},
			Input: sigv4Input("GET", sigv4Base+"/?"+percent.Escape("a"+string(c)+"b")+"=value", nil, ""),
		})
	}
	named := []struct {
		name, title string
		tags        []string
		key         string
	}{
		{"key-utf8-2-byte", "Query name with a 2-byte UTF-8 character", []string{"utf8"}, "caf\u00e9"},
		{"key-utf8-3-byte", "Query name with a 3-byte UTF-8 character", []string{"utf8"}, "\u20ac"},
		{"key-utf8-4-byte", "Query name with a 4-byte UTF-8 character", []string{"utf8"}, "\U0001F600"},
		{"key-already-encoded", "Query name that is itself percent-encoded text", nil, "a%20b"},
		{"key-uppercase", "Query name in capitals", nil, "PARAM"},
		{"key-long", "A 1 KiB query name", []string{"long"}, strings.Repeat("k", 1024)},
	}
	for _, n := range named {
		b.Sign(SignSpec{
			Name: n.name, Title: n.title, Tags: sigv4Tags([]string{"encoding", "params", "keys"}, n.tags),
			Input: sigv4Input("GET", sigv4Base+"/?"+percent.Escape(n.key)+"=value", nil, ""),
		})
	}
	for _, q := range sigv4KeyQueries {
		b.Sign(SignSpec{
			Name: q.name, Title: q.title, Tags: []string{"params", "keys"}, Notes: q.notes,
			Input: sigv4Input("GET", sigv4Base+"/?"+q.query, nil, ""),
		})
	}
	var many []string
	for i := 49; i >= 0; i-- {
		many = append(many, fmt.Sprintf("p%02d=v%02d", i, i))
	}
	b.Sign(SignSpec{
		Name: "many-params", Title: "Fifty parameters given in reverse order", Tags: []string{"params", "keys", "many"},
		Input: sigv4Input("GET", sigv4Base+"/?"+strings.Join(many, "&"), nil, ""),
	})
	var mixed []string
	for i, e := range ValueEdges()[:50] {
		mixed = append(mixed, fmt.Sprintf("p%02d=%s", 49-i, percent.Escape(e.Value)))
	}
	b.Sign(SignSpec{
		Name: "many-params-edge-values", Title: "Fifty parameters holding the first fifty value edges",
		Tags:  []string{"params", "keys", "many", "encoding"},
		Input: sigv4Input("GET", sigv4Base+"/?"+strings.Join(mixed, "&"), nil, ""),
	})
	return b.File()
}

// sigv4Paths are the paths signed twice: normalized (every service but
// S3) and as S3 signs them (normalize_path=false).
var sigv4Paths = []struct{ name, title, path, notes string }{
	{"root", "The root path", "/", ""},
	{"empty", "A URL with no path at all", "", "The canonical URI of an empty path is '/'."},
	{"segments", "A plain two-segment path", "/a/b", ""},
	{"trailing-slash", "A path ending in '/'", "/a/b/", ""},
	{"dot-segment", "A '.' segment", "/a/./b", ""},
	{"dot-dot-segment", "A '..' segment", "/a/../b", ""},
	{"dot-dot-above-root", "A '..' segment above the root", "/../a", ""},
	{"trailing-dot", "A path ending in '/.'", "/a/.", ""},
	{"trailing-dot-dot", "A path ending in '/..'", "/a/b/..", ""},
	{"double-slash", "Empty segments from '//'", "//a//b//", ""},
	{"only-slashes", "A path of two slashes", "//", ""},
	{"dot-like-names", "Segments that start with dots but are not dot segments", "/a.b/..c/.../.d", ""},
	{"encoded-space", "A path with %20", "/a%20b", ""},
	{"encoded-slash", "A path with %2F inside a segment", "/a%2Fb", ""},
	{"encoded-percent", "A path with %25", "/a%25b", ""},
	{"encoded-dot-segment", "A '..' segment sent as %2E%2E", "/a/%2E%2E/b",
		"An encoded '..' is not a dot segment when normalizing the path as sent."},
	{"encoded-utf8", "A path with percent-encoded UTF-8 of 2, 3 and 4 bytes", "/caf%C3%A9/%E2%82%AC/%F0%9F%98%80", ""},
	{"encoded-tilde", "A path with '~' sent as %7E", "/%7Euser", ""},
	{"lowercase-escape", "A path with lowercase hex escapes", "/a%2fb%c3%a9", ""},
	{"tilde", "A path with a raw '~'", "/~user", ""},
	{"sub-delims", "A path with raw sub-delimiters, ':' and '@'", "/a=b;c,d:e@f!$'()*+&",
		"Deliberately sends sub-delimiters unencoded (all valid in a path)."},
	{"plus", "A path with a raw '+'", "/a+b",
		"Deliberately sends '+' unencoded; in a path it is a plus sign, never a space."},
	{"raw-space", "A path with a raw space", "/a b",
		"Deliberately sends a raw space, as aws-sig-v4-test-suite get-space writes its request line."},
	{"raw-utf8", "A path with raw UTF-8", "/\u1234/caf\u00e9",
		"Deliberately sends raw UTF-8, as aws-sig-v4-test-suite get-utf8 writes its request line."},
	{"path-with-query", "A dot segment in a path that has a query", "/a/./b/?Param=1", ""},
}

func sigv4Path() (*vectors.File, error) {
	b := NewBuilder("sigv4", "path",
		"Request paths: dot segments, empty segments, encoded and raw characters, UTF-8. Each path is signed normalized "+
			"(every service but S3: dot and empty segments removed, then URI-encoded again) and, in the -unnormalized case, "+
			"with normalize_path=false as S3 signs it. Header-signed GET; expected values computed by scheme/sigv4.")
	for _, p := range sigv4Paths {
		in := sigv4Input("GET", sigv4Base+p.path, nil, "")
		b.Sign(SignSpec{Name: p.name, Title: p.title + ", normalized", Tags: []string{"path", "normalized"}, Notes: p.notes, Input: in})
		in.Context.NormalizePath = &sigv4NoNorm
		b.Sign(SignSpec{Name: p.name + "-unnormalized", Title: p.title + ", not normalized (S3)", Tags: []string{"path", "s3"}, Notes: p.notes, Input: in})
	}
	return b.File()
}

func sigv4Headers() (*vectors.File, error) {
	b := NewBuilder("sigv4", "headers",
		"Headers: repeated headers, runs of spaces, mixed-case names, multi-value lines, headers AWS never signs, Host "+
			"with ports, a session token. Header-signed GET /; expected values computed by scheme/sigv4.")
	cases := []struct {
		name, title string
		url         string
		headers     []sigconform.Header
		notes       string
	}{
		{"repeated-header", "One header sent twice", "", sigv4H("X-Test", "a", "X-Test", "b"),
			"Repeated headers are joined with ',' in the order sent: x-test:a,b."},
		{"repeated-header-order", "One header sent twice, values in reverse order", "", sigv4H("X-Test", "b", "X-Test", "a"),
			"Order is kept, not sorted: x-test:b,a."},
		{"repeated-header-mixed-case", "One header sent twice with differently cased names", "", sigv4H("X-Test", "a", "x-TEST", "b"), ""},
		{"repeated-header-interleaved", "A repeated header with another between", "", sigv4H("X-Test", "1", "X-Other", "2", "X-Test", "3"), ""},
		{"repeated-header-multi-value", "A repeated header whose first line already holds a list", "", sigv4H("X-Test", "a, b", "X-Test", "c"),
			"x-test:a, b,c: the space inside the first value stays."},
		{"repeated-header-spaces", "A repeated header with spaces around each value", "", sigv4H("X-Test", "  a  ", "X-Test", "  b  "), ""},
		{"multi-space-value", "A value with runs of spaces inside", "", sigv4H("X-Test", "a   b   c"), "Inner runs collapse to one space."},
		{"leading-trailing-space", "A value with spaces before and after", "", sigv4H("X-Test", "   value   "), ""},
		{"tab-in-value", "A value with tabs inside and around", "", sigv4H("X-Test", "\ta\t\tb\t"), ""},
		{"quoted-multi-space", "A quoted value with runs of spaces", "", sigv4H("X-Test", `"a   b   c"`),
			"Spaces inside quotes collapse too (aws-sig-v4-test-suite get-header-value-trim)."},
		{"comma-list-value", "A value that is a comma-separated list", "", sigv4H("X-Test", "a,b, c ,d"), "The list is kept as sent, only trimmed."},
		{"empty-value", "A header with an empty value", "", sigv4H("X-Empty", ""), ""},
		{"spaces-only-value", "A header whose value is only spaces", "", sigv4H("X-Empty", "   "), ""},
		{"colon-in-value", "A value with colons", "", sigv4H("X-Test", "a:b::c"), ""},
		{"mixed-case-name", "A header name in mixed case", "", sigv4H("My-Header1", "value1"), ""},
		{"upper-case-name", "A header name in capitals", "", sigv4H("X-AMZ-META-THING", "Value"), "Names are lowercased; values keep their case."},
		{"header-sort-order", "Several headers sent out of order", "", sigv4H("Zeta", "z", "alpha", "a", "X-Amz-Meta-B", "b", "Content-Type", "text/plain"), ""},
		{"header-sort-punctuation", "Header names that differ in punctuation", "", sigv4H("X-A-C", "1", "X-A.C", "2", "X-AB", "3"), ""},
		{"user-agent-not-signed", "A User-Agent header", "", sigv4H("User-Agent", "sigconform/1.0"),
			"AWS's signers never sign User-Agent (botocore SIGNED_HEADERS_BLACKLIST)."},
		{"expect-not-signed", "An Expect header", "", sigv4H("Expect", "100-continue"), "Expect is never signed."},
		{"trace-id-not-signed", "An X-Amzn-Trace-Id header", "", sigv4H("X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000000"), "X-Amzn-Trace-Id is never signed."},
		{"explicit-host", "A Host header sent explicitly", "", sigv4H("Host", sigv4Host), ""},
		{"host-with-port", "A URL with a non-default port", "https://" + sigv4Host + ":8443/", nil, "The port is part of the signed Host."},
		{"host-default-https-port", "A URL with :443 on https", "https://" + sigv4Host + ":443/", nil, "The default port is left out of Host."},
		{"host-default-http-port", "A URL with :80 on http", "http://" + sigv4Host + ":80/", nil, ""},
		{"host-http-other-port", "An http URL with port 8080", "http://" + sigv4Host + ":8080/", nil, ""},
		{"date-header-given", "A request that already carries X-Amz-Date", "", sigv4H("X-Amz-Date", "20240102T030405Z"),
			"The signer signs the date header present and adds none."},
	}
	for _, c := range cases {
		url := c.url
		if url == "" {
			url = sigv4Base + "/"
		}
		tags := []string{"headers"}
		if strings.HasPrefix(c.name, "host-") || c.name == "explicit-host" {
			tags = append(tags, "host")
		}
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: tags, Notes: c.notes, Input: sigv4Input("GET", url, c.headers, "")})
	}
	in := sigv4Input("GET", sigv4Base+"/?Param=value", nil, "")
	in.Credentials.SessionToken = sigv4Token
	b.Sign(SignSpec{Name: "session-token", Title: "Temporary credentials: the session token is sent and signed as X-Amz-Security-Token",
		Tags: []string{"headers", "token"}, Input: in})
	in = sigv4Input("POST", sigv4Base+"/", sigv4H("Content-Type", "application/json"), `{"a":1}`)
	in.Credentials.SessionToken = sigv4Token
	b.Sign(SignSpec{Name: "session-token-post", Title: "Temporary credentials on a POST with a body",
		Tags: []string{"headers", "token", "methods"}, Input: in})
	return b.File()
}

func sigv4Methods() (*vectors.File, error) {
	b := NewBuilder("sigv4", "methods",
		"Methods and bodies: GET, POST, PUT, DELETE (and HEAD, PATCH) with and without bodies and queries; the payload "+
			"hash is the SHA-256 of the body. Header-signed; expected values computed by scheme/sigv4.")
	json := sigv4H("Content-Type", "application/json")
	cases := []struct {
		name, title, method, path string
		headers                   []sigconform.Header
		body, notes               string
	}{
		{"get", "GET without a body", "GET", "/", nil, "", ""},
		{"get-query", "GET with a query", "GET", "/?Action=List&Version=1", nil, "", ""},
		{"get-body", "GET with a body", "GET", "/", json, `{"q":"x"}`, "The body is hashed whatever the method."},
		{"post-empty", "POST without a body", "POST", "/", nil, "", ""},
		{"post-json", "POST with a JSON body", "POST", "/", json, `{"Action":"List","Version":"1"}`, ""},
		{"post-query", "POST with a URL query and a JSON body", "POST", "/?Action=List&Version=1", json, `{"a":1}`,
			"AWS signs the URL query of a POST (aws-sig-v4-test-suite post-vanilla-query); boto 2 signs an empty one (post-query-ignored)."},
		{"post-query-empty-body", "POST with a URL query and no body", "POST", "/?Param1=value1", nil, "", ""},
		{"post-utf8-body", "POST with a UTF-8 body", "POST", "/", sigv4H("Content-Type", "text/plain; charset=utf-8"), "caf\u00e9 \u20ac \U0001F600", ""},
		{"post-crlf-body", "POST with CRLF line ends in the body", "POST", "/", sigv4H("Content-Type", "text/plain"), "line1\r\nline2\r\n", ""},
		{"put-body", "PUT with a body", "PUT", "/a/b", sigv4H("Content-Type", "text/plain"), "hello world", ""},
		{"put-empty", "PUT without a body", "PUT", "/a/b", nil, "", ""},
		{"put-query", "PUT with a query and a body", "PUT", "/a/b?partNumber=1&uploadId=abc", nil, "part data", ""},
		{"put-long-body", "PUT with a 16 KiB body", "PUT", "/a/b", nil, strings.Repeat("0123456789abcdef", 1024), ""},
		{"delete", "DELETE without a body", "DELETE", "/a/b", nil, "", ""},
		{"delete-query", "DELETE with a query", "DELETE", "/a/b?versionId=3", nil, "", ""},
		{"delete-body", "DELETE with a body", "DELETE", "/", json, `{"ids":[1,2]}`, ""},
		{"head", "HEAD", "HEAD", "/a/b", nil, "", ""},
		{"patch-body", "PATCH with a body", "PATCH", "/a/b", json, `{"op":"x"}`, ""},
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: []string{"methods"}, Notes: c.notes,
			Input: sigv4Input(c.method, sigv4Base+c.path, c.headers, c.body)})
	}
	return b.File()
}

// sigv4FormEdges are the value edges also sent in a form body.
var sigv4FormEdges = []string{
	"char-20", "char-2a", "char-2b", "char-25", "char-26", "char-3d", "char-7e", "space-and-plus",
	"already-encoded", "utf8-2-byte", "utf8-3-byte", "utf8-4-byte", "empty-value", "long-value",
}

func sigv4PostForm() (*vectors.File, error) {
	b := NewBuilder("sigv4", "post-form",
		"POST with application/x-www-form-urlencoded bodies. AWS signs the body as the payload and only the URL's query "+
			"in the canonical query; the params-in-canonical-query variant shows python-keystoneclient's Ec2Signer (Launchpad "+
			"bug 1360892), which also sorted the form parameters into the canonical query. Expected values computed by scheme/sigv4.")
	form := func(ct string) []sigconform.Header { return sigv4H("Content-Type", ct) }
	cases := []struct {
		name, title, path string
		headers           []sigconform.Header
		body, notes       string
	}{
		{"form-basic", "A form POST with two parameters", "/", form(sigv4FormType), "Action=ListUsers&Version=2010-05-08", ""},
		{"form-no-charset", "A form POST whose Content-Type has no charset", "/", form("application/x-www-form-urlencoded"), "Action=ListUsers&Version=2010-05-08", ""},
		{"form-content-type-uppercase", "A form POST with the content type in capitals", "/", form("APPLICATION/X-WWW-FORM-URLENCODED"), "Action=ListUsers&Version=2010-05-08", ""},
		{"form-unsorted", "A form POST with parameters out of order", "/", form(sigv4FormType), "Version=2010-05-08&Action=ListUsers&Marker=m", ""},
		{"form-plus-space", "A form value with '+' for a space", "/", form(sigv4FormType), "Name=a+b",
			"A form decoder reads '+' as a space; the params-in-canonical-query variant therefore signs a%20b."},
		{"form-encoded-space", "A form value with %20", "/", form(sigv4FormType), "Name=a%20b", ""},
		{"form-encoded-plus", "A form value with %2B", "/", form(sigv4FormType), "Name=a%2Bb", ""},
		{"form-raw-star-tilde", "A form value with raw '*' and '~'", "/", form(sigv4FormType), "Name=a*b~c", "Deliberately sends '*' unencoded."},
		{"form-repeated-key", "A form body with a repeated key", "/", form(sigv4FormType), "a=2&a=1", ""},
		{"form-key-without-value", "A form body with keys without values", "/", form(sigv4FormType), "a=&b&c=3", ""},
		{"form-and-url-query", "A form POST whose URL also has a query", "/?Action=ListUsers", form(sigv4FormType), "Version=2010-05-08",
			"AWS signs the URL query; boto 2 (post-query-ignored) drops it; keystoneclient (params-in-canonical-query) adds the body's parameters to it."},
		{"form-empty-body", "A form POST with an empty body", "/", form(sigv4FormType), "", ""},
		{"form-text-plain", "A form-looking body sent as text/plain", "/", form("text/plain"), "Action=ListUsers&Version=2010-05-08",
			"Not a form: every signer hashes the body and signs an empty query."},
		{"form-put", "A PUT with a form content type", "/", form(sigv4FormType), "Action=ListUsers",
			"Only a POST carries form parameters: no variant changes this signature."},
	}
	for _, c := range cases {
		method := "POST"
		if c.name == "form-put" {
			method = "PUT"
		}
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: []string{"post", "form"}, Notes: c.notes,
			Input: sigv4Input(method, sigv4Base+c.path, c.headers, c.body)})
	}
	var many []string
	for i := 49; i >= 0; i-- {
		many = append(many, fmt.Sprintf("p%02d=v%02d", i, i))
	}
	b.Sign(SignSpec{Name: "form-many-params", Title: "A form POST with fifty parameters in reverse order", Tags: []string{"post", "form", "many"},
		Input: sigv4Input("POST", sigv4Base+"/", form(sigv4FormType), strings.Join(many, "&"))})
	edges := map[string]ValueEdge{}
	for _, e := range ValueEdges() {
		edges[e.Name] = e
	}
	for _, name := range sigv4FormEdges {
		e := edges[name]
		b.Sign(SignSpec{Name: "form-" + e.Name, Title: "Form value: " + e.Title, Tags: sigv4Tags([]string{"post", "form"}, e.Tags),
			Input: sigv4Input("POST", sigv4Base+"/", form(sigv4FormType), "Action=Test&Value="+percent.Escape(e.Value))})
	}
	return b.File()
}

func sigv4Presign() (*vectors.File, error) {
	b := NewBuilder("sigv4", "presign",
		"Presigned URLs (X-Amz-* query parameters): expiry, queries, session tokens, S3's UNSIGNED-PAYLOAD and "+
			"unnormalized paths, signed extra headers. Expected values computed by scheme/sigv4.")
	type spec struct {
		name, title string
		tags        []string
		notes       string
		in          sigconform.Input
	}
	pre := func(method, path string, expires int, hs []sigconform.Header, body string) sigconform.Input {
		in := sigv4Input(method, sigv4Base+path, hs, body)
		in.Context.PresignExpires = expires
		return in
	}
	s3 := func(in sigconform.Input) sigconform.Input {
		in.Context.UnsignedPayload = true
		in.Context.NormalizePath = &sigv4NoNorm
		return in
	}
	token := func(in sigconform.Input) sigconform.Input {
		in.Credentials.SessionToken = sigv4Token
		return in
	}
	cases := []spec{
		{"expires-3600", "A presigned GET valid one hour", []string{"expiry"}, "", pre("GET", "/", 3600, nil, "")},
		{"expires-1", "A presigned GET valid one second", []string{"expiry"}, "", pre("GET", "/", 1, nil, "")},
		{"expires-604800", "A presigned GET valid seven days, the longest AWS allows", []string{"expiry"}, "", pre("GET", "/", 604800, nil, "")},
		{"with-query", "A presigned GET whose URL has parameters", []string{"params"}, "", pre("GET", "/?b=2&a=1", 3600, nil, "")},
		{"with-query-space", "A presigned GET with a space in a query value", []string{"params", "encoding"}, "", pre("GET", "/?Param=a%20b", 3600, nil, "")},
		{"with-query-utf8", "A presigned GET with UTF-8 in a query value", []string{"params", "encoding", "utf8"}, "", pre("GET", "/?Param=caf%C3%A9", 3600, nil, "")},
		{"with-query-key-without-value", "A presigned GET with a key without value", []string{"params"}, "", pre("GET", "/?acl", 3600, nil, "")},
		{"trailing-question-mark", "A presigned GET whose URL ends in '?'", nil, "", pre("GET", "/?", 3600, nil, "")},
		{"dot-segment-path", "A presigned GET with dot segments, normalized", []string{"path"}, "", pre("GET", "/a/./b/../c", 3600, nil, "")},
		{"signed-header", "A presigned GET that signs an extra header", []string{"headers"},
			"The header travels with the request and is listed in X-Amz-SignedHeaders.", pre("GET", "/", 3600, sigv4H("My-Header1", "  a   b  "), "")},
		{"date-header-present", "A presigned GET whose request also carries X-Amz-Date", []string{"headers"},
			"The date goes in the query; the X-Amz-Date header is not signed.", pre("GET", "/", 3600, sigv4H("X-Amz-Date", "20240102T030405Z"), "")},
		{"session-token", "A presigned GET with temporary credentials", []string{"token"},
			"X-Amz-Security-Token is in the canonical query; the session-token-unsigned variant adds it after signing.", token(pre("GET", "/", 3600, nil, ""))},
		{"post-body", "A presigned POST with a body, hashed", []string{"methods"}, "", pre("POST", "/", 3600, sigv4H("Content-Type", "application/json"), `{"a":1}`)},
		{"s3-get-object", "An S3-style presigned GET: UNSIGNED-PAYLOAD, path as sent", []string{"s3", "payload"}, "", s3(pre("GET", "/bucket/my%20key.txt", 86400, nil, ""))},
		{"s3-dot-segment", "An S3-style presigned GET with a dot segment kept", []string{"s3", "path"}, "", s3(pre("GET", "/bucket/a/./b//c", 3600, nil, ""))},
		{"s3-put-object", "An S3-style presigned PUT", []string{"s3", "payload", "methods"}, "", s3(pre("PUT", "/bucket/key", 900, sigv4H("Content-Type", "text/plain"), ""))},
		{"s3-session-token", "An S3-style presigned GET with temporary credentials", []string{"s3", "token"}, "", token(s3(pre("GET", "/bucket/key", 3600, nil, "")))},
		{"s3-query-edges", "An S3-style presigned GET with response-* overrides", []string{"s3", "params", "encoding"}, "",
			s3(pre("GET", "/bucket/key?response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&response-content-type=text%2Fplain", 3600, nil, ""))},
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: sigv4Tags([]string{"presign"}, c.tags), Notes: c.notes, Input: c.in})
	}
	return b.File()
}

func sigv4Payload() (*vectors.File, error) {
	b := NewBuilder("sigv4", "payload",
		"The payload hash: sign_body (x-amz-content-sha256 added and signed), UNSIGNED-PAYLOAD, a content hash the "+
			"client already set. Header-signed; expected values computed by scheme/sigv4.")
	type spec struct {
		name, title, method, path string
		hs                        []sigconform.Header
		body                      string
		signBody, unsigned, s3    bool
		notes                     string
	}
	empty := sigv4.HashHex("")
	cases := []spec{
		{"sign-body-empty", "sign_body on a GET without a body", "GET", "/", nil, "", true, false, false, ""},
		{"sign-body-post", "sign_body on a POST with a body", "POST", "/", sigv4H("Content-Type", "application/json"), `{"a":1}`, true, false, false, ""},
		{"sign-body-put-utf8", "sign_body on a PUT with a UTF-8 body", "PUT", "/a", nil, "caf\u00e9", true, false, false, ""},
		{"sign-body-long", "sign_body on a 16 KiB body", "PUT", "/a", nil, strings.Repeat("0123456789abcdef", 1024), true, false, false, ""},
		{"sign-body-s3", "sign_body with an S3 path", "PUT", "/bucket/a%20b//c", nil, "data", true, false, true, ""},
		{"sign-body-form", "sign_body on a form POST", "POST", "/", sigv4H("Content-Type", sigv4FormType), "Action=ListUsers&Version=2010-05-08", true, false, false, ""},
		{"unsigned-payload", "UNSIGNED-PAYLOAD without the header", "PUT", "/a", nil, "data", false, true, false,
			"The payload hash is UNSIGNED-PAYLOAD; no x-amz-content-sha256 header is added because sign_body is off."},
		{"unsigned-payload-signed-header", "UNSIGNED-PAYLOAD sent and signed as x-amz-content-sha256", "PUT", "/a", nil, "data", true, true, false, ""},
		{"unsigned-payload-s3-get", "An S3 GET with UNSIGNED-PAYLOAD", "GET", "/bucket/key", nil, "", true, true, true, ""},
		{"content-sha256-given", "A request that already carries x-amz-content-sha256", "PUT", "/a",
			sigv4H("X-Amz-Content-Sha256", sigv4.HashHex("data")), "data", false, false, false, "The header present is signed and used as the payload hash."},
		{"content-sha256-given-empty", "An empty body with its hash already in a header", "GET", "/",
			sigv4H("x-amz-content-sha256", empty), "", false, false, false, ""},
		{"content-sha256-given-unsigned", "A request that already carries x-amz-content-sha256: UNSIGNED-PAYLOAD", "PUT", "/a",
			sigv4H("X-Amz-Content-Sha256", sigv4.UnsignedPayload), "data", false, false, false, ""},
	}
	for _, c := range cases {
		in := sigv4Input(c.method, sigv4Base+c.path, c.hs, c.body)
		in.Context.SignBody, in.Context.UnsignedPayload = c.signBody, c.unsigned
		tags := []string{"payload"}
		if c.s3 {
			in.Context.NormalizePath = &sigv4NoNorm
			tags = append(tags, "s3")
		}
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: tags, Notes: c.notes, Input: in})
	}
	return b.File()
}

// sigv4Disputes says, per verifying variant, which real verifier decides
// otherwise.
var sigv4Disputes = map[string]string{
	sigv4.ParamsInCanonicalQuery: "python-keystoneclient's Ec2Signer before the fix for Launchpad bug 1360892 (params-in-canonical-query) " +
		"sorts the form body's parameters into the canonical query and decides otherwise.",
	sigv4.PostQueryIgnored: "boto 2's HmacAuthV4Handler and python-keystoneclient after the fix for Launchpad bug 1360892 " +
		"(post-query-ignored) sign an empty canonical query for every POST and decide otherwise.",
}

// sigv4Disputed returns the Disputed sentence for in: the sentences of the
// verifying variants whose accept/reject differs from the reference's.
func sigv4Disputed(in sigconform.Input) string {
	in.Scheme = "sigv4"
	ref := sigv4.Scheme.Verify(in, "")
	var out []string
	for _, v := range sigv4.Scheme.Variants() {
		if v.Verifies && sigv4.Scheme.Verify(in, v.Name).Accept != ref.Accept {
			s, ok := sigv4Disputes[v.Name]
			if !ok {
				s = "Variant " + v.Name + " decides otherwise."
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

// sigv4VerifyBase is a signed request to tamper with and how to reach its
// parts.
type sigv4VerifyBase struct {
	name, title string
	tags        []string
	in          sigconform.Input
	presigned   bool
	formBody    bool // parameters travel in the body
}

func sigv4VerifyBases() []sigv4VerifyBase {
	get := sigv4Input("GET", sigv4Base+"/a/b?Param=hello%20world&flag&Zeta=%C3%A9", sigv4H("My-Header1", "value1"), "")
	form := sigv4Input("POST", sigv4Base+"/", sigv4H("Content-Type", sigv4FormType), "Action=ListUsers&Version=2010-05-08")
	post := sigv4Input("POST", sigv4Base+"/?Action=List&Version=1", sigv4H("Content-Type", "application/json"), `{"a":1}`)
	pre := sigv4Input("GET", sigv4Base+"/a/b?Param=value", nil, "")
	pre.Context.PresignExpires = 900
	tok := sigv4Input("GET", sigv4Base+"/?Param=value", nil, "")
	tok.Credentials.SessionToken = sigv4Token
	s3 := sigv4Input("PUT", sigv4Base+"/bucket/a%20b//c?partNumber=1&uploadId=abc", sigv4H("Content-Type", "text/plain"), "part data")
	s3.Context.SignBody, s3.Context.NormalizePath = true, &sigv4NoNorm
	return []sigv4VerifyBase{
		{"get", "a header-signed GET with a query and a signed custom header", []string{"params", "encoding", "headers", "path", "methods"}, get, false, false},
		{"post-form", "a header-signed form POST", []string{"post", "form", "methods"}, form, false, true},
		{"post-query", "a header-signed POST with a URL query and a JSON body", []string{"post", "params", "methods"}, post, false, false},
		{"presigned", "a presigned GET valid 15 minutes", []string{"presign", "expiry", "params"}, pre, true, false},
		{"session-token", "a header-signed GET with temporary credentials", []string{"token", "headers"}, tok, false, false},
		{"s3-put", "an S3-style PUT with sign_body and an unnormalized path", []string{"payload", "path", "s3", "methods"}, s3, false, false},
	}
}

// sigv4SetQuery changes the URL's query with f, which gets and returns
// the raw pieces between '&'.
func sigv4SetQuery(url string, f func([]string) []string) string {
	base, q, _ := strings.Cut(url, "?")
	var pieces []string
	if q != "" {
		pieces = strings.Split(q, "&")
	}
	pieces = f(pieces)
	if len(pieces) == 0 {
		return base
	}
	return base + "?" + strings.Join(pieces, "&")
}

// sigv4DropParam removes every query parameter named name.
func sigv4DropParam(url, name string) string {
	return sigv4SetQuery(url, func(ps []string) []string {
		return slices.DeleteFunc(ps, func(p string) bool { k, _, _ := strings.Cut(p, "="); return k == name })
	})
}

// sigv4EditHeader returns in with the value of header name changed by f.
func sigv4EditHeader(in sigconform.Input, name string, f func(string) string) sigconform.Input {
	in.Request.Headers = slices.Clone(in.Request.Headers)
	for i, h := range in.Request.Headers {
		if strings.EqualFold(h.Name, name) {
			in.Request.Headers[i].Value = f(h.Value)
		}
	}
	return in
}

func sigv4Verify() (*vectors.File, error) {
	b := NewBuilder("sigv4", "verify",
		"Verifier cases: a few signed requests (header-signed GET, form POST, POST with a query, presigned GET, session "+
			"token, S3-style PUT), each sent as signed and tampered with. Expected verdicts computed by scheme/sigv4; "+
			"variants list the verifiers that decide otherwise.")
	s := b.Scheme()
	if s == nil {
		return b.File()
	}
	for _, base := range sigv4VerifyBases() {
		if err := sigv4VerifyCases(b, s, base); err != nil {
			return nil, err
		}
	}
	return b.File()
}

// sigv4VerifyCases writes the verify cases of one base, in groups.
func sigv4VerifyCases(b *Builder, s sigconform.Scheme, base sigv4VerifyBase) error {
	v, err := tamper.NewValid(s, base.name, base.title, base.in)
	if err != nil {
		return err
	}
	c := &sigv4Verifying{b: b, s: s, base: base, v: v, lead: strings.ToUpper(base.title[:1]) + base.title[1:]}
	return inTurn(c.signatures, c.params, c.clock, c.keys, c.date, c.headers, c.shape)
}

// sigv4Verifying is one base's verify cases being written.
type sigv4Verifying struct {
	b    *Builder
	s    sigconform.Scheme
	base sigv4VerifyBase
	v    tamper.Valid
	lead string // the base's title, capitalized
}

func (c *sigv4Verifying) add(suffix, title, tamper string, tags []string, want sigconform.Verdict, notes string, in sigconform.Input) {
	c.b.Verify(VerifySpec{
		Name: c.base.name + "-" + suffix, Title: title, Tags: sigv4Tags(c.base.tags, tags), Tamper: tamper,
		Want: want, Disputed: sigv4Disputed(in), Notes: notes, Input: in,
	})
}

// signatures: the request as signed, its signature tampered with or
// written in another encoding, and signed with another key.
func (c *sigv4Verifying) signatures() error {
	bad := sigconform.Rejected(sigconform.BadSignature, "")
	wrongEnc := sigconform.Rejected(sigconform.WrongEncoding, "")
	sig := c.v.Result.Signature
	c.add("valid", c.lead+", as signed", "", []string{"valid"}, sigconform.Accepted(), "", c.v.Input())
	flipped, err := tamper.FlipBit(sig)
	if err != nil {
		return err
	}
	c.add("one-bit", c.lead+", one bit of the signature flipped", "one-bit", []string{"tamper"}, bad, "", c.v.WithSignature(flipped))
	c.add("case-swapped", c.lead+", the signature's first hex letter in capitals", "case-swapped", []string{"tamper", "encoding"}, wrongEnc,
		"The right HMAC in mixed-case hex: SigV4 signatures are lowercase hex.", c.v.WithSignature(tamper.SwapCase(sig)))
	if c.base.name == "get" || c.base.presigned {
		c.add("uppercase-hex", c.lead+", the signature in uppercase hex", "uppercase-hex", []string{"tamper", "encoding"}, wrongEnc, "",
			c.v.WithSignature(strings.ToUpper(sig)))
	}
	mac, err := hex.DecodeString(sig)
	if err != nil {
		return err
	}
	c.add("base64", c.lead+", the signature's HMAC written in Base64 instead of hex", "base64", []string{"tamper", "encoding"}, wrongEnc,
		"Base64 signatures are other schemes' encoding (SigV2); SigV4 writes hex.", c.v.WithSignature(base64.StdEncoding.EncodeToString(mac)))

	other := c.base.in
	other.Credentials = sigv4OtherCreds
	other.Credentials.SessionToken = c.base.in.Credentials.SessionToken
	ov, err := tamper.NewValid(c.s, c.base.name, c.base.title, other)
	if err != nil {
		return err
	}
	oin := ov.Input()
	oin.Credentials = c.base.in.Credentials
	c.add("other-secret", c.lead+", signed with another secret key", "other-secret", []string{"tamper"}, bad, "", oin)
	return nil
}

// params: a parameter added and one removed after signing.
func (c *sigv4Verifying) params() error {
	bad := sigconform.Rejected(sigconform.BadSignature, "")
	in := c.v.Input()
	if c.base.formBody {
		in.Request.Body += "&Extra=1"
		c.add("param-added", c.lead+", a form parameter added to the body after signing", "param-added", []string{"tamper", "params"}, bad,
			"The body is the payload: its hash no longer matches.", in)
		in = c.v.Input()
		in.Request.Body = strings.Join(strings.Split(in.Request.Body, "&")[1:], "&")
		c.add("param-removed", c.lead+", a form parameter removed from the body after signing", "param-removed", []string{"tamper", "params"}, bad, "", in)
	} else {
		in.Request.URL = sigv4SetQuery(in.Request.URL, func(ps []string) []string { return append(ps, "Extra=1") })
		c.add("param-added", c.lead+", a query parameter added after signing", "param-added", []string{"tamper", "params"}, bad, "", in)
		in = c.v.Input()
		in.Request.URL = sigv4SetQuery(in.Request.URL, func(ps []string) []string { return ps[1:] })
		c.add("param-removed", c.lead+", the first query parameter removed after signing", "param-removed", []string{"tamper", "params"}, bad, "", in)
	}
	return nil
}

// clock: the verifier's clock before, within and after the window.
func (c *sigv4Verifying) clock() error {
	expired := sigconform.Rejected(sigconform.Expired, "")
	late, err := c.v.At(time.Hour)
	if err != nil {
		return err
	}
	early, err := c.v.At(-time.Hour)
	if err != nil {
		return err
	}
	within, err := c.v.At(10 * time.Minute)
	if err != nil {
		return err
	}
	if c.base.presigned {
		c.add("expired", c.lead+", checked an hour after signing", "expired", []string{"expiry"}, expired, "X-Amz-Expires is 900 seconds.", late)
		c.add("future", c.lead+", checked an hour before its X-Amz-Date", "future", []string{"expiry"}, expired, "", early)
		c.add("within-expiry", c.lead+", checked ten minutes after signing", "within-expiry", []string{"expiry"}, sigconform.Accepted(), "", within)
	} else {
		c.add("expired", c.lead+", checked an hour after its X-Amz-Date", "expired", []string{"expiry"}, expired,
			"AWS refuses a request more than 15 minutes from its X-Amz-Date (RequestTimeTooSkewed).", late)
		c.add("future", c.lead+", checked an hour before its X-Amz-Date", "future", []string{"expiry"}, expired, "", early)
		c.add("within-skew", c.lead+", checked ten minutes after its X-Amz-Date", "within-skew", []string{"expiry"}, sigconform.Accepted(), "", within)
	}
	return nil
}

// keys: missing signature, missing key, unknown key, other scope.
func (c *sigv4Verifying) keys() error {
	missing := sigconform.Rejected(sigconform.MissingParameter, "")
	var in sigconform.Input
	in = c.v.Input()
	if c.base.presigned {
		in.Request.URL = sigv4DropParam(in.Request.URL, "X-Amz-Signature")
	} else {
		in.Request.Headers = tamper.DeleteHeader(in.Request.Headers, "Authorization")
	}
	c.add("no-signature", c.lead+", sent without its signature", "no-signature", []string{"tamper"}, missing, "", in)
	in = c.v.Input()
	if c.base.presigned {
		in.Request.URL = sigv4DropParam(in.Request.URL, "X-Amz-Credential")
	} else {
		in = sigv4EditHeader(in, "Authorization", func(a string) string {
			alg, rest, _ := strings.Cut(a, " ")
			parts := slices.DeleteFunc(strings.Split(rest, ", "), func(p string) bool { return strings.HasPrefix(p, "Credential=") })
			return alg + " " + strings.Join(parts, ", ")
		})
	}
	c.add("no-key", c.lead+", sent without its credential (access key and scope)", "no-key", []string{"tamper"}, missing, "", in)
	in = c.v.Input()
	in.Request.URL = strings.Replace(in.Request.URL, sigv4Creds.AccessKey, sigv4Unknown, 1)
	in = sigv4EditHeader(in, "Authorization", func(a string) string { return strings.Replace(a, sigv4Creds.AccessKey, sigv4Unknown, 1) })
	c.add("unknown-key", c.lead+", naming an access key the verifier does not know", "unknown-key", []string{"tamper"},
		sigconform.Rejected(sigconform.UnknownKey, ""), "", in)
	if c.base.name == "get" || c.base.presigned {
		in = c.v.Input()
		in.Request.URL = strings.Replace(in.Request.URL, "%2F"+sigv4Region+"%2F", "%2Fus-west-2%2F", 1)
		in = sigv4EditHeader(in, "Authorization", func(a string) string { return strings.Replace(a, "/"+sigv4Region+"/", "/us-west-2/", 1) })
		c.add("other-region", c.lead+", its credential scope naming another region", "other-region", []string{"tamper"},
			sigconform.Rejected(sigconform.Malformed, ""), "The verifier serves us-east-1 only.", in)
	}
	return nil
}

// date: the signed date changed or removed, X-Amz-Expires raised.
func (c *sigv4Verifying) date() error {
	bad := sigconform.Rejected(sigconform.BadSignature, "")
	missing := sigconform.Rejected(sigconform.MissingParameter, "")
	var in sigconform.Input
	in = c.v.Input()
	if c.base.presigned {
		in.Request.URL = strings.Replace(in.Request.URL, "X-Amz-Date=20240102T030405Z", "X-Amz-Date=20240102T030406Z", 1)
	} else {
		in = sigv4EditHeader(in, "X-Amz-Date", func(string) string { return "20240102T030406Z" })
	}
	c.add("date-changed", c.lead+", its X-Amz-Date moved one second after signing", "date-changed", []string{"tamper"}, bad, "", in)
	if !c.base.presigned {
		in = c.v.Input()
		in.Request.Headers = tamper.DeleteHeader(in.Request.Headers, "X-Amz-Date")
		c.add("date-removed", c.lead+", sent without X-Amz-Date", "date-removed", []string{"tamper"}, missing, "", in)
	} else {
		in = c.v.Input()
		in.Request.URL = strings.Replace(in.Request.URL, "X-Amz-Expires=900", "X-Amz-Expires=3600", 1)
		c.add("expires-raised", c.lead+", X-Amz-Expires raised after signing", "expires-raised", []string{"tamper", "expiry"}, bad, "", in)
	}
	return nil
}

// headers: an unsigned header added is not covered, a signed one changed
// is; the path changed.
func (c *sigv4Verifying) headers() error {
	bad := sigconform.Rejected(sigconform.BadSignature, "")
	var in sigconform.Input
	if c.base.name == "get" || c.base.presigned || c.base.name == "session-token" {
		in = c.v.Input()
		in.Request.Headers = append(slices.Clone(in.Request.Headers), sigconform.Header{Name: "X-Unsigned", Value: "1"})
		c.add("unsigned-header-added", c.lead+", a header added after signing", "unsigned-header-added", []string{"tamper", "headers"},
			sigconform.Accepted(), "Only the headers listed in SignedHeaders are covered by the signature.", in)
	}
	if c.base.name == "get" || c.base.presigned {
		in = c.v.Input()
		in.Request.Headers = append(tamper.DeleteHeader(in.Request.Headers, "Host"), sigconform.Header{Name: "Host", Value: "other.example.com"})
		c.add("host-changed", c.lead+", sent to another Host", "host-changed", []string{"tamper", "headers"}, bad, "", in)
	}
	if c.base.name == "get" || c.base.presigned || c.base.name == "s3-put" {
		in = c.v.Input()
		in.Request.URL = strings.Replace(in.Request.URL, sigv4Base+"/", sigv4Base+"/x/", 1)
		c.add("path-changed", c.lead+", its path changed after signing", "path-changed", []string{"tamper", "path"}, bad, "", in)
	}
	return nil
}

// shape: the cases particular to one base.
func (c *sigv4Verifying) shape() error {
	bad := sigconform.Rejected(sigconform.BadSignature, "")
	missing := sigconform.Rejected(sigconform.MissingParameter, "")
	sig := c.v.Result.Signature
	var in sigconform.Input
	switch c.base.name {
	case "get":
		in = sigv4EditHeader(c.v.Input(), "My-Header1", func(string) string { return "value2" })
		c.add("header-changed", c.lead+", a signed header's value changed", "header-changed", []string{"tamper", "headers"}, bad, "", in)
		in = sigv4EditHeader(c.v.Input(), "My-Header1", func(string) string { return "  value1  " })
		c.add("header-respaced", c.lead+", spaces added around a signed header's value", "header-respaced", []string{"headers"},
			sigconform.Accepted(), "Header values are trimmed before signing: the canonical request is unchanged.", in)
		in = c.v.Input()
		in.Request.URL = sigv4Base + "/a/b?Zeta=%c3%a9&flag=&Param=hello%20world"
		c.add("query-reordered", c.lead+", its query reordered and re-escaped", "query-reordered", []string{"params", "encoding"},
			sigconform.Accepted(), "The canonical query sorts and re-encodes: order, a bare key and lowercase escapes do not matter.", in)
		in = c.v.Input()
		in.Request.Method = "DELETE"
		c.add("method-changed", c.lead+", sent as DELETE", "method-changed", []string{"tamper", "methods"}, bad, "", in)
	case "post-form":
		in = c.v.Input()
		in.Request.Body = "Version=2010-05-08&Action=ListUsers"
		c.add("body-reordered", c.lead+", its form parameters reordered", "body-reordered", []string{"tamper"}, bad,
			"The body is hashed as bytes: reordering its parameters changes the payload hash.", in)
		if err := sigv4VariantSigned(c.b, c.base, c.v, sigv4.ParamsInCanonicalQuery, "keystone-signed",
			c.lead+", signed as python-keystoneclient's Ec2Signer did before bug 1360892 was fixed", c.add); err != nil {
			return err
		}
	case "post-query":
		in = c.v.Input()
		in.Request.Body = `{"a":2}`
		c.add("body-changed", c.lead+", its body changed after signing", "body-changed", []string{"tamper", "payload"}, bad, "", in)
		if err := sigv4VariantSigned(c.b, c.base, c.v, sigv4.PostQueryIgnored, "boto-signed",
			c.lead+", signed as boto 2 signs: an empty canonical query", c.add); err != nil {
			return err
		}
	case "session-token":
		in = c.v.Input()
		in.Request.Headers = tamper.DeleteHeader(in.Request.Headers, "X-Amz-Security-Token")
		c.add("token-removed", c.lead+", the signed session token header removed", "token-removed", []string{"tamper", "token"}, missing, "", in)
		in = sigv4EditHeader(c.v.Input(), "X-Amz-Security-Token", func(t string) string { return t + "x" })
		c.add("token-changed", c.lead+", the session token changed", "token-changed", []string{"tamper", "token"}, bad, "", in)
		if err := sigv4VariantSigned(c.b, c.base, c.v, sigv4.SessionTokenUnsigned, "token-unsigned",
			c.lead+", the token added after signing and not signed", c.add); err != nil {
			return err
		}
	case "presigned":
		in = c.v.Input()
		in.Request.URL = strings.Replace(in.Request.URL, "X-Amz-Signature=", "X-Amz-Signature="+sig+"&X-Amz-Signature=", 1)
		c.add("signature-twice", c.lead+", X-Amz-Signature given twice", "signature-twice", []string{"tamper"},
			sigconform.Rejected(sigconform.Malformed, ""), "", in)
	case "s3-put":
		in = c.v.Input()
		in.Request.Body = "part dat4"
		c.add("body-changed", c.lead+", its body changed after signing", "body-changed", []string{"tamper", "payload"}, bad,
			"x-amz-content-sha256 no longer matches the body.", in)
		in = sigv4EditHeader(c.v.Input(), "X-Amz-Content-Sha256", func(string) string { return sigv4.UnsignedPayload })
		c.add("content-sha256-changed", c.lead+", x-amz-content-sha256 changed to UNSIGNED-PAYLOAD", "content-sha256-changed",
			[]string{"tamper", "payload"}, bad, "", in)
		in = c.v.Input()
		in.Context.NormalizePath = nil
		c.add("normalized-verifier", c.lead+", checked by a verifier that normalizes the path", "normalized-verifier", []string{"path"}, bad,
			"A non-S3 verifier removes the empty segment and encodes the path again.", in)
	}
	return nil
}

// sigv4VariantSigned adds the case of base signed by a signing variant and
// checked by the reference.
func sigv4VariantSigned(b *Builder, base sigv4VerifyBase, v tamper.Valid, variant, tamper, title string,
	add func(suffix, title, tamper string, tags []string, want sigconform.Verdict, notes string, in sigconform.Input)) error {
	in := base.in
	in.Scheme = "sigv4"
	res, err := b.Scheme().Sign(in, variant)
	if err != nil {
		return fmt.Errorf("%s: %w", base.name, err)
	}
	in.Request = res.Apply(in.Request)
	want := sigconform.Rejected(sigconform.BadSignature, "")
	notes := "Signed by the " + variant + " variant."
	if res.Signature == v.Result.Signature || variant == sigv4.SessionTokenUnsigned {
		want = sigconform.Accepted()
	}
	if variant == sigv4.SessionTokenUnsigned {
		notes += " The token is sent but not signed; AWS accepts it for services that allow it (aws-sig-v4-test-suite post-sts-header-after)."
	}
	add(tamper, title, tamper, []string{"variant-signed"}, want, notes, in)
	return nil
}
