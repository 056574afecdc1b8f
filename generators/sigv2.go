package generators

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/tamper"
	"github.com/sigconform/sigconform/scheme/sigv2"
	"github.com/sigconform/sigconform/vectors"
)

// The sigv2 generator: AWS Query API Signature Version 2 (and versions 0
// and 1). Every value is put into the request with sigv2.Encode, the RFC
// 3986 strict encoding, unless a case's notes say it deliberately sends a
// raw character. Credentials are invented; the time is fixed.

func init() { register("sigv2", sigv2Files) }

const (
	sigv2AccessKey   = "AKIDSIGCONFORMTEST"
	sigv2SecretKey   = "sigconform-test-secret/+="
	sigv2OtherSecret = "sigconform-other-secret"
	sigv2OtherKey    = "AKIDSIGCONFORMOTHER"
	sigv2Time        = "2024-01-02T03:04:05Z"
	sigv2Endpoint    = "https://ec2.amazonaws.com/"
	sigv2Version     = "2016-11-15"
	sigv2FormType    = "application/x-www-form-urlencoded; charset=utf-8"
	// sigv2ValueParam is the parameter the encoding edges are put in.
	sigv2ValueParam = "Filter.1.Value.1"
)

var sigv2Creds = sigconform.Credentials{AccessKey: sigv2AccessKey, SecretKey: sigv2SecretKey}

// sigv2Files builds every sigv2 file, in a fixed order.
func sigv2Files() ([]*vectors.File, error) {
	var out []*vectors.File
	for _, build := range []func() (*vectors.File, error){
		sigv2EncodingFile, sigv2SHA1File, sigv2KeysFile, sigv2HostFile, sigv2PathFile,
		sigv2PostFile, sigv2VersionsFile, sigv2AuthFile, sigv2VerifyFile,
	} {
		f, err := build()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// sigv2Query writes name, value pairs as a query string, each side encoded
// with sigv2.Encode, in the order given.
func sigv2Query(pairs ...string) string {
	if len(pairs)%2 != 0 {
		panic("sigv2Query: odd number of arguments")
	}
	parts := make([]string, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		parts = append(parts, sigv2.Encode(pairs[i])+"="+sigv2.Encode(pairs[i+1]))
	}
	return strings.Join(parts, "&")
}

// sigv2Get is a GET of url at the fixed time with ctx's method and version.
func sigv2Get(url string, ctx sigconform.Context) sigconform.Input {
	if ctx.Time == "" {
		ctx.Time = sigv2Time
	}
	return sigconform.Input{Credentials: sigv2Creds, Request: sigconform.Request{Method: "GET", URL: url}, Context: ctx}
}

// sigv2Post is a form POST of body to url at the fixed time.
func sigv2Post(url, body string, ctx sigconform.Context) sigconform.Input {
	in := sigv2Get(url, ctx)
	in.Request.Method = "POST"
	in.Request.Headers = []sigconform.Header{{Name: "Content-Type", Value: sigv2FormType}}
	in.Request.Body = body
	return in
}

var (
	sigv2SHA1   = sigconform.Context{SignatureMethod: sigv2.HmacSHA1}
	sigv2SHA256 = sigconform.Context{}
)

// sigv2ActionQuery is the DescribeTags query holding value in
// sigv2ValueParam.
func sigv2ActionQuery(value string) string {
	return sigv2Query("Action", "DescribeTags", "Filter.1.Name", "value", sigv2ValueParam, value, "Version", sigv2Version)
}

func sigv2Tags(base []string, more ...string) []string {
	out := append([]string(nil), base...)
	return append(out, more...)
}

// ---------------------------------------------------------------- encoding

func sigv2EncodingFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "encoding",
		"Signature Version 2 (HmacSHA256, GET) with every shared value edge in the query parameter "+
			sigv2ValueParam+" of an EC2 DescribeTags request: each printable ASCII character alone, the "+
			"mixes known to diverge, UTF-8, already-encoded, empty and long values. Values are sent "+
			"percent-encoded per RFC 3986 (every byte but A-Z a-z 0-9 - _ . ~ as %XX); the input-* cases "+
			"send the same characters written otherwise (raw +, lowercase hex, encoded unreserved) to pin "+
			"that the signer decodes before it re-encodes.")
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "HmacSHA256: " + e.Title,
			Tags:  sigv2Tags(e.Tags, "hmac-sha256"),
			Input: sigv2Get(sigv2Endpoint+"?"+sigv2ActionQuery(e.Value), sigv2SHA256),
		})
	}
	q := func(raw string) string {
		return sigv2Endpoint + "?Action=DescribeTags&Filter.1.Name=value&" + sigv2ValueParam + "=" + raw + "&Version=" + sigv2Version
	}
	inputs := []struct{ name, title, raw, notes string }{
		{"input-raw-plus", "a raw '+' in the query, which a form decoder reads as a space", "a+b",
			"The value is sent as the raw characters a+b, deliberately not percent-encoded. " +
				"Query strings are application/x-www-form-urlencoded, so '+' is a space: the value " +
				"signed is 'a b', canonicalized a%20b."},
		{"input-lowercase-hex", "a value percent-encoded with lowercase hex digits", "%2a%2f%c3%a9",
			"Sent as %2a%2f%c3%a9 (lowercase hex, deliberately). The decoded value is '*/é'; the " +
				"canonical query writes it with uppercase hex, %2A%2F%C3%A9."},
		{"input-encoded-unreserved", "unreserved characters sent percent-encoded", "%41%7E%2D%5F%2E",
			"Sent as %41%7E%2D%5F%2E (deliberately over-encoded). The decoded value is 'A~-_.', " +
				"all unreserved, so the canonical query writes it bare."},
		{"input-raw-unreserved-mix", "sub-delimiters sent raw, not percent-encoded", "a!b*c(d)e'f",
			"Sent raw as a!b*c(d)e'f, deliberately not encoded, as some HTTP clients leave them. " +
				"The canonical query encodes each of them: a%21b%2Ac%28d%29e%27f."},
	}
	for _, c := range inputs {
		b.Sign(SignSpec{
			Name: c.name, Title: "HmacSHA256: " + c.title, Tags: []string{"encoding", "hmac-sha256"}, Notes: c.notes,
			Input: sigv2Get(q(c.raw), sigv2SHA256),
		})
	}
	return b.File()
}

// ---------------------------------------------------------------- sha1

// sigv2SHA1Edges are the value edges repeated with HmacSHA1: the mixes and
// the characters the encoders disagree on, not all 95 characters.
func sigv2SHA1Edges() []ValueEdge {
	chars := map[string]bool{
		"char-20": true, "char-21": true, "char-25": true, "char-26": true, "char-2a": true,
		"char-2b": true, "char-2f": true, "char-3d": true, "char-7e": true,
	}
	var out []ValueEdge
	for _, e := range ValueEdges() {
		if !strings.HasPrefix(e.Name, "char-") || chars[e.Name] {
			out = append(out, e)
		}
	}
	return out
}

func sigv2SHA1File() (*vectors.File, error) {
	b := NewBuilder("sigv2", "sha1",
		"Signature Version 2 with SignatureMethod=HmacSHA1 (GET): the value mixes, the ASCII characters "+
			"encoders disagree on, and a few name edges, so that a signer's HmacSHA1 path is pinned "+
			"as well as its default HmacSHA256 one. Values are percent-encoded per RFC 3986 into the "+
			"query parameter "+sigv2ValueParam+".")
	for _, e := range sigv2SHA1Edges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "HmacSHA1: " + e.Title,
			Tags:  sigv2Tags(e.Tags, "hmac-sha1"),
			Input: sigv2Get(sigv2Endpoint+"?"+sigv2ActionQuery(e.Value), sigv2SHA1),
		})
	}
	names := []struct{ name, title, query string }{
		{"key-with-space", "a parameter name with a space", sigv2Query("Action", "DescribeTags", "Tag Key", "v", "Version", sigv2Version)},
		{"key-with-tilde", "a parameter name with '~'", sigv2Query("Action", "DescribeTags", "Tag~Key", "v", "Version", sigv2Version)},
		{"keys-differing-in-case", "parameter names equal but for case", sigv2Query("Action", "DescribeTags", "foo", "1", "Foo", "2", "FOO", "3", "Version", sigv2Version)},
		{"key-utf8", "a parameter name with a 2-byte UTF-8 character", sigv2Query("Action", "DescribeTags", "Caf\u00e9", "v", "Version", sigv2Version)},
	}
	for _, n := range names {
		b.Sign(SignSpec{
			Name: n.name, Title: "HmacSHA1: " + n.title, Tags: []string{"params", "hmac-sha1"},
			Input: sigv2Get(sigv2Endpoint+"?"+n.query, sigv2SHA1),
		})
	}
	return b.File()
}

// ---------------------------------------------------------------- keys

// sigv2KeyChars are the characters put into parameter names.
var sigv2KeyChars = []byte{' ', '!', '%', '&', '*', '+', '-', '.', '/', ':', '=', '[', ']', '_', '~'}

func sigv2KeysFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "keys",
		"Signature Version 2 (HmacSHA256, GET) parameter-name edges: characters and UTF-8 in names, "+
			"sorting (byte order of the decoded names: case, digits, prefixes, ':' whose encoding sorts "+
			"otherwise, non-ASCII), names equal but for case, empty values, 50 parameters, a long name. "+
			"Names and values are percent-encoded per RFC 3986 unless the notes say otherwise. Repeated "+
			"names are refused by the reference (Signature Version 2 has no rule for them); see the "+
			"verify topic.")
	get := func(pairs ...string) sigconform.Input {
		all := append([]string{"Action", "DescribeTags"}, pairs...)
		all = append(all, "Version", sigv2Version)
		return sigv2Get(sigv2Endpoint+"?"+sigv2Query(all...), sigv2SHA256)
	}
	for _, c := range sigv2KeyChars {
		b.Sign(SignSpec{
			Name:  fmt.Sprintf("key-char-%02x", c),
			Title: fmt.Sprintf("a parameter name holding %s", charName(c)),
			Tags:  []string{"params", "ascii"},
			Input: get("Param"+string(c)+"Name", "v"),
		})
	}
	utf8 := []struct{ name, title, key string }{
		{"key-utf8-2-byte", "a parameter name with a 2-byte UTF-8 character", "Caf\u00e9"},
		{"key-utf8-3-byte", "a parameter name with a 3-byte UTF-8 character", "Price\u20ac"},
		{"key-utf8-4-byte", "a parameter name with a 4-byte UTF-8 character", "Smile\U0001F600"},
	}
	for _, u := range utf8 {
		b.Sign(SignSpec{Name: u.name, Title: u.title, Tags: []string{"params", "utf8"}, Input: get(u.key, "v")})
	}
	b.Sign(SignSpec{Name: "key-already-encoded", Title: "a parameter name that is already percent-encoded",
		Tags: []string{"params", "encoding"}, Input: get("Tag%20Key", "v"),
		Notes: "The name is the six characters Tag%20Key; its '%' is encoded again, Tag%2520Key."})
	b.Sign(SignSpec{Name: "keys-differing-in-case", Title: "three parameter names equal but for case",
		Tags: []string{"params"}, Input: get("foo", "1", "Foo", "2", "FOO", "3"),
		Notes: "Names are case-sensitive and sorted in byte order: FOO, Foo, foo."})
	sigv2KeyOrders(b, get)
	b.Sign(SignSpec{Name: "empty-values", Title: "several parameters with empty values",
		Tags: []string{"params"}, Input: get("Filter.1.Name", "", "Marker", "", "NextToken", ""),
		Notes: "An empty value is written Name= in the canonical query."})
	b.Sign(SignSpec{Name: "name-without-equals", Title: "a parameter written without '=' (an empty value)",
		Tags:  []string{"params"},
		Input: sigv2Get(sigv2Endpoint+"?Action=DescribeTags&DryRun&Version="+sigv2Version, sigv2SHA256),
		Notes: "DryRun is sent deliberately without '='. Form decoding reads it as an empty value; it is " +
			"signed DryRun=."})
	b.Sign(SignSpec{Name: "empty-segments", Title: "a query with empty segments between '&'s",
		Tags:  []string{"params"},
		Input: sigv2Get(sigv2Endpoint+"?&Action=DescribeTags&&Version="+sigv2Version+"&", sigv2SHA256),
		Notes: "The query is sent deliberately with leading, doubled and trailing '&'. Empty segments are no " +
			"parameters; the canonical query has none of them."})
	var many []string
	for i := 1; i <= 50; i++ {
		many = append(many, fmt.Sprintf("Param.%d", i), fmt.Sprintf("value-%d", i))
	}
	b.Sign(SignSpec{Name: "many-params", Title: "50 parameters, listed in numeric order",
		Tags: []string{"params"}, Input: get(many...),
		Notes: "Param.1 ... Param.50 are listed in numeric order; the canonical query sorts them as strings."})
	b.Sign(SignSpec{Name: "long-name", Title: "a 1 KiB parameter name",
		Tags: []string{"params", "long"}, Input: get("Long"+strings.Repeat("abcdefghijklmnop", 64), "v")})
	b.Sign(SignSpec{Name: "long-value-many-params", Title: "a 4 KiB value after nine numbered parameters",
		Tags:  []string{"params", "long"},
		Input: get(append(many[:18:18], "Data", strings.Repeat("0123456789ABCDEF", 256))...)})
	return b.File()
}

// sigv2KeyOrders adds the cases of names whose order is a trap: case,
// ':' encoded, numbers, prefixes, UTF-8, punctuation.
func sigv2KeyOrders(b *Builder, get func(pairs ...string) sigconform.Input) {
	b.Sign(SignSpec{Name: "sort-lowercase-after-uppercase", Title: "lowercase names sort after every uppercase one",
		Tags: []string{"params"}, Input: get("zeta", "1", "alpha", "2", "Zulu", "3", "Bravo", "4"),
		Notes: "Byte order puts Action, AWSAccessKeyId, Bravo, ..., Zulu before alpha and zeta; a " +
			"case-insensitive sort (version 1's) would not."})
	b.Sign(SignSpec{Name: "sort-decoded-colon", Title: "':' in a name sorts after digits decoded but before them encoded",
		Tags: []string{"params"}, Input: get("Tag:1", "a", "Tag0", "b"),
		Notes: "Decoded, 'Tag0' < 'Tag:1' (0x30 < 0x3A); encoded, 'Tag%3A1' < 'Tag0' ('%' is 0x25). " +
			"The AWS documents sort the names before encoding, as botocore and aws-sdk-go v1 do."})
	b.Sign(SignSpec{Name: "sort-numeric-suffix", Title: "numbered names sort as strings: 1, 10, 2",
		Tags:  []string{"params"},
		Input: get("InstanceId.2", "i-2", "InstanceId.10", "i-10", "InstanceId.1", "i-1")})
	b.Sign(SignSpec{Name: "sort-prefix", Title: "a name that is a prefix of others sorts first",
		Tags: []string{"params"}, Input: get("NameA", "3", "Name.1", "2", "Name", "1")})
	b.Sign(SignSpec{Name: "sort-utf8-after-ascii", Title: "a name starting with a non-ASCII letter sorts after 'z'",
		Tags: []string{"params", "utf8"}, Input: get("\u00e9t\u00e9", "1", "zeta", "2"),
		Notes: "UTF-8 bytes sort after every ASCII byte: zeta before \u00e9t\u00e9 (C3 A9 ...)."})
	b.Sign(SignSpec{Name: "sort-tilde-underscore", Title: "'~', '_' and letters in names sort in byte order",
		Tags: []string{"params"}, Input: get("Key~", "1", "Key_", "2", "KeyZ", "3"),
		Notes: "KeyZ (0x5A) < Key_ (0x5F) < Key~ (0x7E); an encoder that writes ~ as %7E changes the " +
			"string but not the order, which is of the decoded names."})
}

// ---------------------------------------------------------------- host

func sigv2HostFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "host",
		"Signature Version 2's host line: the Host header (else the URL's host[:port]) in lowercase, the "+
			"port kept only when it is not the scheme's default. The host-as-written and host-without-port "+
			"variants show what botocore/aws-sdk-go v1 and boto 2 sign instead.")
	q := "?" + sigv2Query("Action", "DescribeInstances", "Version", sigv2Version)
	cases := []struct {
		name, title, url string
		host             string // Host header, if any
		ctx              sigconform.Context
		tags             []string
		notes            string
	}{
		{"https-default-port", "https URL that spells out the default port 443", "https://ec2.amazonaws.com:443/", "", sigv2SHA256, nil,
			"The reference drops the default port; a signer that signs the URL's netloc as written keeps it."},
		{"http-default-port", "http URL that spells out the default port 80", "http://ec2.amazonaws.com:80/", "", sigv2SHA256, nil, ""},
		{"https-non-default-port", "https on port 8443", "https://ec2.amazonaws.com:8443/", "", sigv2SHA256, nil,
			"A non-default port is part of the host line, ec2.amazonaws.com:8443."},
		{"http-non-default-port", "an OpenStack/Eucalyptus EC2 endpoint, http on port 8773", "http://localhost:8773/services/Cloud", "", sigv2SHA256, []string{"path"}, ""},
		{"https-on-port-80", "https on port 80, the default of the other scheme", "https://ec2.amazonaws.com:80/", "", sigv2SHA256, nil,
			"80 is http's default, not https's, so it is kept."},
		{"http-on-port-443", "http on port 443, the default of the other scheme", "http://ec2.amazonaws.com:443/", "", sigv2SHA256, nil,
			"443 is https's default, not http's, so it is kept."},
		{"uppercase-host", "a host name written in capitals", "https://EC2.Amazonaws.COM/", "", sigv2SHA256, nil,
			"The host line is lowercase: ec2.amazonaws.com."},
		{"uppercase-host-with-port", "a host name in capitals with a non-default port", "http://EC2.Example.COM:8773/", "", sigv2SHA256, nil, ""},
		{"host-header", "a Host header naming the endpoint in capitals, with the default port", "https://ec2.amazonaws.com/", "EC2.amazonaws.com:443", sigv2SHA256, []string{"headers"},
			"The Host header, when given, is the host signed: lowercased, its default port dropped."},
		{"ipv4-host", "an IPv4 address with a port", "http://127.0.0.1:8773/services/Cloud", "", sigv2SHA256, nil, ""},
		{"ipv6-host", "an IPv6 literal without a port", "http://[::1]/", "", sigv2SHA256, nil,
			"The brackets stay: [::1]."},
		{"ipv6-host-port", "an IPv6 literal with a port", "http://[::1]:8773/", "", sigv2SHA256, nil, ""},
		{"non-default-port-sha1", "http on port 8773 signed with HmacSHA1", "http://localhost:8773/services/Cloud", "", sigv2SHA1, []string{"hmac-sha1", "path"}, ""},
		{"https-default-port-sha1", "https URL with port 443 signed with HmacSHA1", "https://ec2.amazonaws.com:443/", "", sigv2SHA1, []string{"hmac-sha1"}, ""},
	}
	for _, c := range cases {
		in := sigv2Get(c.url+q, c.ctx)
		if c.host != "" {
			in.Request.Headers = []sigconform.Header{{Name: "Host", Value: c.host}}
		}
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: sigv2Tags([]string{"host"}, c.tags...), Notes: c.notes, Input: in})
	}
	return b.File()
}

// ---------------------------------------------------------------- path

func sigv2PathFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "path",
		"Signature Version 2's HTTPRequestURI line: the URL's path as sent, still percent-encoded and "+
			"not normalized; an empty path is '/'.")
	q := "?" + sigv2Query("Action", "DescribeInstances", "Version", sigv2Version)
	cases := []struct{ name, title, path, notes string }{
		{"empty-path", "a URL without a path", "", "https://ec2.amazonaws.com?... signs the path '/'."},
		{"root-path", "the path '/'", "/", ""},
		{"services-cloud", "an OpenStack-style path, /services/Cloud", "/services/Cloud", ""},
		{"trailing-slash", "a path with a trailing slash", "/services/Cloud/", "The slash is kept."},
		{"encoded-space", "a path holding %20", "/my%20service/", "Signed as sent, /my%20service/."},
		{"encoded-tilde", "a path holding %7E, an encoded unreserved character", "/%7Euser/", "Signed as sent, not decoded to '~'."},
		{"utf8", "a path holding a percent-encoded UTF-8 character", "/caf%C3%A9/", ""},
		{"dot-segments", "a path with '.' and '..' segments", "/a/./b/../c", "Not normalized: signed as /a/./b/../c."},
		{"double-slash", "a path with doubled slashes", "/a//b", "Not normalized: signed as /a//b."},
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: []string{"path"}, Notes: c.notes,
			Input: sigv2Get("https://ec2.amazonaws.com"+c.path+q, sigv2SHA256)})
	}
	return b.File()
}

// ---------------------------------------------------------------- post

const sigv2PostNote = "The parameters travel in the form body, which the shared result has no field for: " +
	"the signed body is the canonical query (the last line of string_to_sign) followed by " +
	"&Signature=<signature percent-encoded>, and the URL stays as it was. Compare the signature."

func sigv2PostFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "post",
		"Signature Version 2 over POST with an application/x-www-form-urlencoded body: the parameters "+
			"come from the body, the first line of the string to sign is POST, and the signature is what "+
			"is compared (the signed body is not part of the result).")
	body := func(pairs ...string) string {
		all := append([]string{"Action", "DescribeInstances"}, pairs...)
		return sigv2Query(append(all, "Version", sigv2Version)...)
	}
	b.Sign(SignSpec{Name: "form", Title: "a form POST with charset=utf-8", Tags: []string{"post"}, Notes: sigv2PostNote,
		Input: sigv2Post(sigv2Endpoint, body(), sigv2SHA256)})
	in := sigv2Post(sigv2Endpoint, body(), sigv2SHA256)
	in.Request.Headers = []sigconform.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}}
	b.Sign(SignSpec{Name: "form-no-charset", Title: "a form POST whose Content-Type has no charset", Tags: []string{"post", "headers"},
		Notes: sigv2PostNote, Input: in})
	in = sigv2Post(sigv2Endpoint, body(), sigv2SHA256)
	in.Request.Headers = nil
	b.Sign(SignSpec{Name: "form-no-content-type", Title: "a POST with a form body and no Content-Type", Tags: []string{"post", "headers"},
		Notes: "Without a Content-Type, a body is read as a form. " + sigv2PostNote, Input: in})
	b.Sign(SignSpec{Name: "form-edge-values", Title: "a form POST with space, '+', '~', '*', UTF-8 and empty values", Tags: []string{"post", "encoding", "utf8"},
		Notes: sigv2PostNote,
		Input: sigv2Post(sigv2Endpoint, body("Space", "a b", "Plus", "a+b", "Tilde", "a~b", "Star", "a*b", "Utf8", "caf\u00e9 \u20ac \U0001F600", "Empty", ""), sigv2SHA256)})
	b.Sign(SignSpec{Name: "form-raw-plus", Title: "a form body with a raw '+', which form decoding reads as a space", Tags: []string{"post", "encoding"},
		Notes: "The body holds Value=a+b deliberately not percent-encoded: form decoding reads a space, " +
			"so 'a b' is signed, a%20b. " + sigv2PostNote,
		Input: sigv2Post(sigv2Endpoint, "Action=DescribeTags&Value=a+b&Version="+sigv2Version, sigv2SHA256)})
	b.Sign(SignSpec{Name: "form-unsorted", Title: "a form body listing its parameters out of order", Tags: []string{"post", "params"},
		Notes: sigv2PostNote,
		Input: sigv2Post(sigv2Endpoint, sigv2Query("Version", sigv2Version, "InstanceId.1", "i-1", "Action", "DescribeInstances", "DryRun", "false"), sigv2SHA256)})
	b.Sign(SignSpec{Name: "form-path-port", Title: "a form POST to http://localhost:8773/services/Cloud", Tags: []string{"post", "host", "path"},
		Notes: sigv2PostNote, Input: sigv2Post("http://localhost:8773/services/Cloud", body(), sigv2SHA256)})
	b.Sign(SignSpec{Name: "form-sha1", Title: "a form POST signed with HmacSHA1", Tags: []string{"post", "hmac-sha1"},
		Notes: sigv2PostNote, Input: sigv2Post(sigv2Endpoint, body("Value", "a b~c"), sigv2SHA1)})
	in = sigv2Post(sigv2Endpoint, body(), sigv2SHA256)
	in.Credentials.SessionToken = "sigconform-test-session-token/+="
	b.Sign(SignSpec{Name: "form-session-token", Title: "a form POST with a session token, sent as SecurityToken", Tags: []string{"post", "token"},
		Notes: sigv2PostNote, Input: in})
	b.Sign(SignSpec{Name: "form-long-value", Title: "a form POST with a 4 KiB value", Tags: []string{"post", "long"},
		Notes: sigv2PostNote, Input: sigv2Post(sigv2Endpoint, body("UserData", strings.Repeat("0123456789abcdef", 256)), sigv2SHA256)})
	in = sigv2Get(sigv2Endpoint+"?"+sigv2Query("Action", "DescribeInstances", "Version", sigv2Version), sigv2SHA256)
	in.Request.Method = "POST"
	b.Sign(SignSpec{Name: "post-query-no-body", Title: "a POST without a body, its parameters in the URL", Tags: []string{"post"},
		Notes: "With no form body the parameters are read from the URL, and the signature is added to " +
			"it; the string to sign still starts with POST.",
		Input: in})
	return b.File()
}

// ---------------------------------------------------------------- versions

func sigv2VersionsFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "versions",
		"Signature versions 1 and 0 (HMAC-SHA1, no SignatureMethod), which OpenStack keystone still "+
			"verifies: version 1 signs the names and values, unencoded, sorted without regard to case; "+
			"version 0 signs Action followed by Timestamp.")
	v1 := sigconform.Context{SignatureVersion: sigv2.Version1}
	v0 := sigconform.Context{SignatureVersion: sigv2.Version0}
	get := func(ctx sigconform.Context, pairs ...string) sigconform.Input {
		all := append([]string{"Action", "DescribeInstances"}, pairs...)
		return sigv2Get(sigv2Endpoint+"?"+sigv2Query(append(all, "Version", sigv2Version)...), ctx)
	}
	v1Tags := []string{"version-1", "hmac-sha1"}
	v0Tags := []string{"version-0", "hmac-sha1"}
	b.Sign(SignSpec{Name: "v1-basic", Title: "version 1: a plain DescribeInstances", Tags: v1Tags, Input: get(v1),
		Notes: "Case-insensitively Action < AWSAccessKeyId ('c' < 'w'), the opposite of version 2's byte order."})
	b.Sign(SignSpec{Name: "v1-keys-differing-in-case", Title: "version 1: names equal but for case keep the order they are listed in",
		Tags: sigv2Tags(v1Tags, "params"), Input: get(v1, "foo", "1", "Foo", "2", "FOO", "3")})
	b.Sign(SignSpec{Name: "v1-mixed-case-sort", Title: "version 1: lowercase and uppercase names interleave",
		Tags: sigv2Tags(v1Tags, "params"), Input: get(v1, "zeta", "1", "Beta", "2", "alpha", "3")})
	b.Sign(SignSpec{Name: "v1-space-in-value", Title: "version 1: a value with a space, signed unencoded",
		Tags: sigv2Tags(v1Tags, "encoding"), Input: get(v1, "Value", "hello world")})
	b.Sign(SignSpec{Name: "v1-plus-and-equals", Title: "version 1: a value holding '+', '=' and '&', signed unencoded",
		Tags: sigv2Tags(v1Tags, "encoding"), Input: get(v1, "Value", "a+b=c&d")})
	b.Sign(SignSpec{Name: "v1-utf8", Title: "version 1: a UTF-8 value, signed as raw bytes",
		Tags: sigv2Tags(v1Tags, "utf8"), Input: get(v1, "Value", "caf\u00e9 \u20ac")})
	b.Sign(SignSpec{Name: "v1-empty-value", Title: "version 1: an empty value contributes only its name",
		Tags: sigv2Tags(v1Tags, "params"), Input: get(v1, "Marker", "")})
	b.Sign(SignSpec{Name: "v1-sha1-explicit", Title: "version 1 with SignatureMethod HmacSHA1 given in the context",
		Tags:  v1Tags,
		Input: get(sigconform.Context{SignatureVersion: sigv2.Version1, SignatureMethod: sigv2.HmacSHA1})})
	b.Sign(SignSpec{Name: "v1-post", Title: "version 1 over a form POST", Tags: sigv2Tags(v1Tags, "post"),
		Notes: "The signed body is the parameters and Signature; the result carries only the signature.",
		Input: sigv2Post(sigv2Endpoint, sigv2Query("Action", "DescribeInstances", "Version", sigv2Version), v1)})
	b.Sign(SignSpec{Name: "v0-basic", Title: "version 0: Action and Timestamp only", Tags: v0Tags, Input: get(v0)})
	b.Sign(SignSpec{Name: "v0-extra-params", Title: "version 0: other parameters are not signed",
		Tags: sigv2Tags(v0Tags, "params"), Input: get(v0, "InstanceId.1", "i-1", "Value", "a b")})
	b.Sign(SignSpec{Name: "v0-given-timestamp", Title: "version 0: a Timestamp already in the request is signed as written",
		Tags:  sigv2Tags(v0Tags, "expiry"),
		Input: get(v0, "Timestamp", "2024-01-02T03:04:05.000Z")})
	return b.File()
}

// ---------------------------------------------------------------- auth

func sigv2AuthFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "auth",
		"The authentication parameters a Signature Version 2 signer adds or keeps: Timestamp from the "+
			"signing time in UTC, a Timestamp or Expires already present, SecurityToken from a session "+
			"token, and a retried request's old Signature and authentication parameters.")
	get := func(ctx sigconform.Context, pairs ...string) sigconform.Input {
		all := append([]string{"Action", "DescribeInstances"}, pairs...)
		return sigv2Get(sigv2Endpoint+"?"+sigv2Query(append(all, "Version", sigv2Version)...), ctx)
	}
	in := get(sigv2SHA256)
	in.Credentials.SessionToken = "sigconform-test-session-token/+="
	b.Sign(SignSpec{Name: "session-token", Title: "a session token is sent and signed as SecurityToken", Tags: []string{"auth", "token"}, Input: in})
	b.Sign(SignSpec{Name: "time-zone-offset", Title: "a signing time given with a +09:00 offset is written in UTC",
		Tags: []string{"auth", "expiry"}, Input: get(sigconform.Context{Time: "2024-01-02T12:04:05+09:00"}),
		Notes: "Timestamp=2024-01-02T03:04:05Z."})
	b.Sign(SignSpec{Name: "existing-timestamp", Title: "a Timestamp already in the request (with milliseconds) is kept as written",
		Tags: []string{"auth", "expiry"}, Input: get(sigv2SHA256, "Timestamp", "2024-01-02T03:04:05.000Z")})
	b.Sign(SignSpec{Name: "timestamp-without-zone", Title: "a Timestamp without a zone designator, as in the AWS example, is kept",
		Tags: []string{"auth", "expiry"}, Input: get(sigv2SHA256, "Timestamp", "2024-01-02T03:04:05")})
	b.Sign(SignSpec{Name: "expires", Title: "an Expires parameter replaces the Timestamp the signer would add",
		Tags: []string{"auth", "expiry"}, Input: get(sigv2SHA256, "Expires", "2024-01-02T03:34:05Z")})
	b.Sign(SignSpec{Name: "old-signature-dropped", Title: "a retried request's old Signature is neither signed nor kept",
		Tags: []string{"auth"}, Input: get(sigv2SHA256, "Signature", "b2xkLXNpZ25hdHVyZQ==")})
	b.Sign(SignSpec{Name: "retry-auth-params-replaced", Title: "a retried request's AWSAccessKeyId, SignatureMethod and SignatureVersion are replaced",
		Tags: []string{"auth"},
		Input: get(sigv2SHA256, "AWSAccessKeyId", sigv2OtherKey, "SignatureMethod", "HmacSHA1", "SignatureVersion", "1",
			"Timestamp", "2024-01-02T03:04:05Z"),
		Notes: "The signer sets its own key, HmacSHA256 and version 2 over the old values; the Timestamp is kept."})
	return b.File()
}

// ---------------------------------------------------------------- verify

// sigv2Segments returns where a signed request's parameters stand (the
// body of a form POST, else the URL's query) as raw name=value segments.
func sigv2Segments(req sigconform.Request) []string {
	if req.Body != "" {
		return strings.Split(req.Body, "&")
	}
	_, q, _ := strings.Cut(req.URL, "?")
	return strings.Split(q, "&")
}

// sigv2WithSegments returns req with its parameters replaced by segs.
func sigv2WithSegments(req sigconform.Request, segs []string) sigconform.Request {
	req.Headers = append([]sigconform.Header(nil), req.Headers...)
	if req.Body != "" {
		req.Body = strings.Join(segs, "&")
		return req
	}
	base, _, _ := strings.Cut(req.URL, "?")
	req.URL = base + "?" + strings.Join(segs, "&")
	return req
}

// sigv2SetParam sets the raw (already encoded) value of name, or appends
// it; sigv2DropParam removes it.
func sigv2SetParam(req sigconform.Request, name, raw string) sigconform.Request {
	segs := sigv2Segments(req)
	for i, s := range segs {
		if strings.HasPrefix(s, name+"=") {
			segs[i] = name + "=" + raw
			return sigv2WithSegments(req, segs)
		}
	}
	return sigv2WithSegments(req, append(segs, name+"="+raw))
}

func sigv2DropParam(req sigconform.Request, name string) sigconform.Request {
	var out []string
	for _, s := range sigv2Segments(req) {
		if !strings.HasPrefix(s, name+"=") {
			out = append(out, s)
		}
	}
	return sigv2WithSegments(req, out)
}

// sigv2NewValid signs in with the reference; for a form POST, whose body the
// result does not carry, it writes the body the signer sends: the canonical
// query and the Signature (version 2 only).
func sigv2NewValid(s sigconform.Scheme, name, title string, in sigconform.Input) (tamper.Valid, error) {
	v, err := tamper.NewValid(s, name, title, in)
	if err != nil {
		return v, err
	}
	if in.Request.Body != "" {
		sts, _ := v.Result.Stage(sigv2.StageStringToSign)
		lines := strings.SplitN(sts, "\n", 4)
		if len(lines) != 4 {
			return v, fmt.Errorf("%s: a form body is written for version 2 only", name)
		}
		v.Sent.Body = lines[3] + "&Signature=" + sigv2.Encode(v.Result.Signature)
	}
	return v, nil
}

// sigv2Signature returns v's request as sent with the Signature written raw.
func sigv2Signature(v tamper.Valid, raw string) sigconform.Input {
	in := v.Input()
	in.Request = sigv2SetParam(in.Request, "Signature", raw)
	return in
}

// sigv2VerifyBase is a valid request the tamperings start from.
type sigv2VerifyBase struct {
	name, title string
	tags        []string
	in          sigconform.Input
	// dispute is Disputed for the cases whose intact signature the
	// reference accepts and keystone does not (or the reverse).
	dispute string
	// future is Disputed for the Timestamp an hour in the future.
	future string
	// notes go on every case made from this base.
	notes string
}

const (
	sigv2DisputeSHA1 = "OpenStack keystone (Ec2Signer) recomputes every version 2 signature with HmacSHA256, " +
		"so it refuses this HmacSHA1 request, which AWS accepts."
	sigv2DisputeFuture = "OpenStack keystone refuses only a Timestamp more than 15 minutes old, so it accepts one " +
		"an hour in the future, which AWS refuses."
)

func sigv2VerifyFile() (*vectors.File, error) {
	b := NewBuilder("sigv2", "verify",
		"Signature Version 2 verifier cases: six signed requests (GET HmacSHA256, GET HmacSHA1, form "+
			"POST, encoded values, a non-default port, version 1), each valid and tampered with; then "+
			"Expires, a request without Timestamp, both Timestamp and Expires, a repeated parameter, the "+
			"host line as verifiers read it, the clock-skew window, and version 0. The keystone variant "+
			"records where OpenStack's verifier decides otherwise.")
	s := b.Scheme()
	q := func(pairs ...string) string {
		all := append([]string{"Action", "DescribeInstances"}, pairs...)
		return sigv2Query(append(all, "Version", sigv2Version)...)
	}
	bases := []sigv2VerifyBase{
		{name: "get", title: "GET, HmacSHA256", tags: []string{"get", "hmac-sha256"},
			in: sigv2Get(sigv2Endpoint+"?"+q("InstanceId.1", "i-0123456789abcdef0"), sigv2SHA256), future: sigv2DisputeFuture},
		{name: "sha1", title: "GET, HmacSHA1", tags: []string{"get", "hmac-sha1"},
			in: sigv2Get(sigv2Endpoint+"?"+q("InstanceId.1", "i-0123456789abcdef0"), sigv2SHA1), dispute: sigv2DisputeSHA1},
		{name: "post", title: "form POST, HmacSHA256", tags: []string{"post", "hmac-sha256"},
			in: sigv2Post(sigv2Endpoint, q("InstanceId.1", "i-0123456789abcdef0"), sigv2SHA256), future: sigv2DisputeFuture,
			notes: "The body is what the signer sends: the canonical query, then &Signature= and the signature percent-encoded."},
		{name: "encoded", title: "GET with space, '+', '~', '/', '*' and UTF-8 in a value", tags: []string{"get", "encoding", "utf8", "hmac-sha256"},
			in: sigv2Get(sigv2Endpoint+"?"+q("Filter.1.Name", "tag:Name", "Filter.1.Value.1", "a b+c~d/e*f caf\u00e9 \U0001F600"), sigv2SHA256), future: sigv2DisputeFuture},
		{name: "port", title: "GET to http://localhost:8773/services/Cloud", tags: []string{"get", "host", "path", "hmac-sha256"},
			in: sigv2Get("http://localhost:8773/services/Cloud?"+q(), sigv2SHA256), future: sigv2DisputeFuture},
		{name: "v1", title: "version 1 GET", tags: []string{"get", "version-1", "hmac-sha1"},
			in: sigv2Get(sigv2Endpoint+"?"+q("Value", "a b"), sigconform.Context{SignatureVersion: sigv2.Version1}), future: sigv2DisputeFuture},
	}
	for _, base := range bases {
		if err := sigv2TamperBase(b, s, base); err != nil {
			return nil, err
		}
	}
	if err := sigv2VerifyExtras(b, s, q); err != nil {
		return nil, err
	}
	return b.File()
}

// sigv2TamperBase adds the valid request and its tamperings.
func sigv2TamperBase(b *Builder, s sigconform.Scheme, base sigv2VerifyBase) error {
	v, err := sigv2NewValid(s, base.name, base.title, base.in)
	if err != nil {
		return err
	}
	tags := sigv2Tags(base.tags, "tamper")
	add := func(tamper, title string, want sigconform.Verdict, disputed, notes string, in sigconform.Input, more ...string) {
		name := base.name + "-" + tamper
		if tamper == "" {
			name = base.name + "-valid"
		}
		notes = strings.TrimSpace(base.notes + " " + notes)
		b.Verify(VerifySpec{Name: name, Title: base.title + ": " + title, Tags: sigv2Tags(tags, more...), Tamper: tamper,
			Want: want, Disputed: disputed, Notes: notes, Input: in})
	}
	ok := sigconform.Accepted()
	reject := func(r sigconform.Reason) sigconform.Verdict { return sigconform.Rejected(r, "") }
	sig := v.Result.Signature
	add("", "the request as signed", ok, base.dispute, "", v.Input())
	flipped, err := tamper.FlipBit(sig)
	if err != nil {
		return err
	}
	add("one-bit", "one bit of the signature flipped", reject(sigconform.BadSignature), "", "", sigv2Signature(v, sigv2.Encode(flipped)))
	add("case-swapped", "the case of one signature letter changed", reject(sigconform.BadSignature), "",
		"Base64 is case-sensitive: another MAC, not another spelling.", sigv2Signature(v, sigv2.Encode(tamper.SwapCase(sig))))
	if u, changed := tamper.URLSafe(sig); changed {
		add("urlsafe-base64", "the signature in URL-safe Base64", reject(sigconform.WrongEncoding), "", "", sigv2Signature(v, sigv2.Encode(u)))
	}
	if u, changed := tamper.Unpadded(sig); changed {
		add("unpadded", "the signature without its Base64 padding", reject(sigconform.WrongEncoding), "", "", sigv2Signature(v, sigv2.Encode(u)))
	}
	if strings.Contains(sig, "+") {
		add("plus-unencoded", "the signature's '+' sent without percent-encoding", reject(sigconform.WrongEncoding), "",
			"The Signature is written with its '+' raw (deliberately); form decoding reads a space.",
			sigv2Signature(v, strings.ReplaceAll(sigv2.Encode(sig), "%2B", "+")))
	}
	other := base.in
	other.Credentials.SecretKey = sigv2OtherSecret
	ov, err := sigv2NewValid(s, base.name, base.title, other)
	if err != nil {
		return err
	}
	add("other-secret", "signed with another secret key", reject(sigconform.BadSignature), "", "", sigv2Signature(v, sigv2.Encode(ov.Result.Signature)))
	in := v.Input()
	in.Request = sigv2SetParam(in.Request, "DryRun", "true")
	add("param-added", "a parameter added after signing", reject(sigconform.BadSignature), "", "", in, "params")
	in = v.Input()
	in.Request = sigv2DropParam(in.Request, "Version")
	add("param-removed", "the Version parameter removed after signing", reject(sigconform.BadSignature), "", "", in, "params")
	at, err := v.At(time.Hour)
	if err != nil {
		return err
	}
	add("expired", "checked an hour after its Timestamp", reject(sigconform.Expired), "", "", at, "expiry")
	at, err = v.At(-time.Hour)
	if err != nil {
		return err
	}
	future := base.future
	if base.dispute != "" {
		future = "" // keystone refuses it anyway
	}
	add("future", "checked an hour before its Timestamp", reject(sigconform.Expired), future, "", at, "expiry")
	in = v.Input()
	in.Request = sigv2DropParam(in.Request, "Signature")
	add("no-signature", "the Signature parameter removed", reject(sigconform.MissingParameter), "", "", in)
	in = v.Input()
	in.Request = sigv2DropParam(in.Request, "AWSAccessKeyId")
	add("no-key", "the AWSAccessKeyId parameter removed", reject(sigconform.MissingParameter), "", "", in)
	in = v.Input()
	in.Request = sigv2SetParam(in.Request, "AWSAccessKeyId", sigv2OtherKey)
	add("unknown-key", "an access key the verifier does not hold", reject(sigconform.UnknownKey), "", "", in)
	return nil
}

// sigv2VerifyExtras adds the verifier cases that are not a tampering of
// the bases.
func sigv2VerifyExtras(b *Builder, s sigconform.Scheme, q func(...string) string) error {
	x := &sigv2Extras{b: b, s: s, q: q}
	if err := x.expiry(); err != nil {
		return err
	}
	get, err := x.valid("get", sigv2Get(sigv2Endpoint+"?"+q("InstanceId.1", "i-0123456789abcdef0"), sigv2SHA256))
	if err != nil {
		return err
	}
	for _, group := range []func(tamper.Valid) error{x.tampered, x.clockSkew, x.hosts} {
		if err := group(get); err != nil {
			return err
		}
	}
	if err := x.encodings(); err != nil {
		return err
	}
	return x.version0()
}

// sigv2Extras writes sigv2VerifyExtras's cases.
type sigv2Extras struct {
	b *Builder
	s sigconform.Scheme
	q func(...string) string // a query of the usual parameters and these
}

func (x *sigv2Extras) add(name, tamper, title string, tags []string, want sigconform.Verdict, disputed, notes string, in sigconform.Input) {
	x.b.Verify(VerifySpec{Name: name, Title: title, Tags: tags, Tamper: tamper, Want: want, Disputed: disputed, Notes: notes, Input: in})
}

func (x *sigv2Extras) valid(name string, in sigconform.Input) (tamper.Valid, error) {
	return sigv2NewValid(x.s, name, name, in)
}

// expiry: Expires instead of Timestamp, both, neither.
func (x *sigv2Extras) expiry() error {
	ok, reject, add, q := sigconform.Accepted(), rejected, x.add, x.q
	exp, err := x.valid("expires", sigv2Get(sigv2Endpoint+"?"+q("Expires", "2024-01-02T03:34:05Z"), sigv2SHA256))
	if err != nil {
		return err
	}
	add("expires-valid", "", "Expires 30 minutes ahead, checked at signing time", []string{"get", "expiry"}, ok, "", "", exp.Input())
	at, err := exp.At(29 * time.Minute)
	if err != nil {
		return err
	}
	add("expires-near", "clock-skew", "Expires 30 minutes ahead, checked 29 minutes later", []string{"get", "expiry"}, ok, "", "", at)
	at, err = exp.At(time.Hour)
	if err != nil {
		return err
	}
	add("expires-past", "expired", "Expires 30 minutes ahead, checked an hour later", []string{"get", "expiry"}, reject(sigconform.Expired),
		"OpenStack keystone ignores Expires and accepts the request after it has expired; AWS refuses it.", "", at)

	// Both Timestamp and Expires, signed as such.
	both, err := x.valid("both", sigv2Get(sigv2Endpoint+"?"+q("Expires", "2024-01-02T03:34:05Z", "Timestamp", "2024-01-02T03:04:05Z"), sigv2SHA256))
	if err != nil {
		return err
	}
	add("timestamp-and-expires", "", "a request signed with both Timestamp and Expires", []string{"get", "expiry"}, reject(sigconform.Malformed),
		"OpenStack keystone checks only the Timestamp and accepts; AWS documents Timestamp or Expires, not both, and the reference refuses.",
		"", both.Input())

	// No Timestamp nor Expires: signed by hand, as no SDK sends it.
	params := []sigv2.Param{
		{Name: "AWSAccessKeyId", Value: sigv2AccessKey}, {Name: "Action", Value: "DescribeInstances"},
		{Name: "SignatureMethod", Value: sigv2.HmacSHA256}, {Name: "SignatureVersion", Value: "2"},
		{Name: "Version", Value: sigv2Version},
	}
	sts := sigv2.StringToSignV2("GET", "ec2.amazonaws.com", "/", params)
	sig, err := sigv2.Signature(sigv2SecretKey, sigv2.HmacSHA256, sts)
	if err != nil {
		return err
	}
	add("no-timestamp", "no-timestamp", "a request signed without Timestamp or Expires", []string{"get", "expiry"}, reject(sigconform.MissingParameter),
		"OpenStack keystone takes a missing Timestamp as intentionally left off and accepts; AWS requires Timestamp or Expires.",
		"The signature is right for the parameters sent; only the time is missing.",
		sigv2Get(sigv2Endpoint+"?"+sigv2.CanonicalQuery(params)+"&Signature="+sigv2.Encode(sig), sigconform.Context{}))
	return nil
}

// tampered: a parameter repeated, the signature in hex.
func (x *sigv2Extras) tampered(get tamper.Valid) error {
	in := get.Input()
	in.Request.URL += "&InstanceId.1=i-0123456789abcdef1"
	x.add("param-repeated", "param-repeated", "a signed parameter given a second time", []string{"get", "params", "tamper"}, rejected(sigconform.Malformed), "",
		"Signature Version 2 has no rule for repeated names and the SDKs keep one value; the reference refuses the request as malformed.", in)
	mac, err := base64.StdEncoding.DecodeString(get.Result.Signature)
	if err != nil {
		return err
	}
	x.add("hex-signature", "hex", "the right HMAC written in hex", []string{"get", "tamper"}, rejected(sigconform.WrongEncoding), "", "",
		sigv2Signature(get, hex.EncodeToString(mac)))
	return nil
}

// clockSkew: the clock around the 15-minute window.
func (x *sigv2Extras) clockSkew(get tamper.Valid) error {
	ok := sigconform.Accepted()
	for _, c := range []struct {
		name string
		d    time.Duration
		want sigconform.Verdict
	}{
		{"clock-14m-late", 14 * time.Minute, ok},
		{"clock-16m-late", 16 * time.Minute, rejected(sigconform.Expired)},
		{"clock-14m-early", -14 * time.Minute, ok},
		{"clock-16m-early", -16 * time.Minute, rejected(sigconform.Expired)},
	} {
		at, err := get.At(c.d)
		if err != nil {
			return err
		}
		disputed := ""
		if c.d < 0 && !c.want.Accept {
			disputed = "OpenStack keystone refuses only a Timestamp more than 15 minutes old, so it accepts one 16 minutes in the future, which AWS refuses."
		}
		tamper := "clock-skew"
		if !c.want.Accept {
			tamper = "expired"
			if c.d < 0 {
				tamper = "future"
			}
		}
		x.add(c.name, tamper, fmt.Sprintf("checked %s its Timestamp (15 minutes allowed)", sigv2Duration(c.d)), []string{"get", "expiry"}, c.want, disputed, "", at)
	}
	return nil
}

// hosts: the host line as verifiers read it.
func (x *sigv2Extras) hosts(get tamper.Valid) error {
	ok, reject, add := sigconform.Accepted(), rejected, x.add
	in := get.Input()
	in.Request.Headers = []sigconform.Header{{Name: "Host", Value: "ec2.amazonaws.com:443"}}
	add("host-default-port", "host-default-port", "the Host header adds the default port 443", []string{"get", "host"}, ok, "",
		"The verifier drops a default port, as the signer did.", in)
	in = get.Input()
	in.Request.Headers = []sigconform.Header{{Name: "Host", Value: "EC2.AMAZONAWS.COM"}}
	add("host-uppercased", "host-uppercased", "the Host header arrives in capitals", []string{"get", "host"}, ok,
		"OpenStack keystone signs the Host header as received and lowercases it only when retrying without a port, "+
			"so it refuses a capitalized Host without a port, which AWS lowercases and accepts.", "", in)
	in = get.Input()
	in.Request.Headers = []sigconform.Header{{Name: "Host", Value: "ec2.us-east-1.amazonaws.com"}}
	add("host-changed", "host-changed", "the request sent to another host name", []string{"get", "host", "tamper"}, reject(sigconform.BadSignature), "", "", in)
	port := sigv2Get("http://localhost:8773/services/Cloud?"+x.q(), sigv2SHA256)
	portRes, err := x.s.Sign(port, sigv2.HostWithoutPort)
	if err != nil {
		return err
	}
	add("port-signed-without-port", "signed-without-port", "a request to port 8773 signed without the port, as boto 2 does", []string{"get", "host"},
		reject(sigconform.BadSignature),
		"OpenStack keystone retries without the port, for boto 2 and other such clients, and accepts; AWS-style verifiers refuse.",
		"Signed by the host-without-port variant.", sigconform.Input{Credentials: port.Credentials, Context: port.Context, Request: portRes.Apply(port.Request)})
	return nil
}

// encodings: a value signed with a space as '+' and '~' as %7E.
func (x *sigv2Extras) encodings() error {
	plus, err := x.valid("encoded", sigv2Get(sigv2Endpoint+"?"+x.q("Value", "a b~c"), sigv2SHA256))
	if err != nil {
		return err
	}
	for _, variant := range []string{sigv2.PlusForSpace, sigv2.TildeEncoded} {
		res, err := x.s.Sign(plus.In, variant)
		if err != nil {
			return err
		}
		x.add("signed-"+variant, "signed-"+variant, "a value with a space and '~' signed by the "+variant+" variant", []string{"get", "encoding"},
			rejected(sigconform.BadSignature), "", "The URL is the variant signer's; the server decodes both spellings to the same value.",
			sigv2Signature(plus, sigv2.Encode(res.Signature)))
	}
	return nil
}

// version0: a version 0 request, which signs Action and Timestamp only.
func (x *sigv2Extras) version0() error {
	ok, reject, add := sigconform.Accepted(), rejected, x.add
	v0, err := x.valid("v0", sigv2Get(sigv2Endpoint+"?"+x.q("InstanceId.1", "i-0123456789abcdef0"), sigconform.Context{SignatureVersion: sigv2.Version0}))
	if err != nil {
		return err
	}
	v0tags := []string{"get", "version-0", "hmac-sha1"}
	add("v0-valid", "", "version 0 GET, as signed", v0tags, ok, "", "", v0.Input())
	flipped, err := tamper.FlipBit(v0.Result.Signature)
	if err != nil {
		return err
	}
	add("v0-one-bit", "one-bit", "version 0 GET, one bit of the signature flipped", sigv2Tags(v0tags, "tamper"), reject(sigconform.BadSignature), "", "",
		sigv2Signature(v0, sigv2.Encode(flipped)))
	in := v0.Input()
	in.Request = sigv2SetParam(in.Request, "InstanceId.1", "i-0123456789abcdef1")
	add("v0-param-changed", "param-changed", "version 0 GET, an unsigned parameter changed after signing", sigv2Tags(v0tags, "tamper", "params"), ok, "",
		"Version 0 signs only Action and Timestamp: every other parameter can be changed without breaking the signature.", in)
	in = v0.Input()
	in.Request = sigv2SetParam(in.Request, "Action", "TerminateInstances")
	add("v0-action-changed", "param-changed", "version 0 GET, Action changed after signing", sigv2Tags(v0tags, "tamper", "params"), reject(sigconform.BadSignature), "", "", in)
	at, err := v0.At(time.Hour)
	if err != nil {
		return err
	}
	add("v0-expired", "expired", "version 0 GET, checked an hour after its Timestamp", sigv2Tags(v0tags, "expiry"), reject(sigconform.Expired), "", "", at)
	return nil
}

func sigv2Duration(d time.Duration) string {
	if d < 0 {
		return fmt.Sprintf("%d minutes before", int(-d.Minutes()))
	}
	return fmt.Sprintf("%d minutes after", int(d.Minutes()))
}
