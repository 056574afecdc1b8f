package sigv2

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Expected values below are written by hand from the rules (RFC 3986
// unreserved set, uppercase hex, UTF-8 bytes) or copied from the publication
// named beside them; none was produced by running this package.

func TestEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"AZaz09-_.~", "AZaz09-_.~"},
		{" ", "%20"},
		{"+", "%2B"},
		{"*", "%2A"},
		{"/", "%2F"},
		{":", "%3A"},
		{"a=b&c", "a%3Db%26c"},
		{"%", "%25"},
		{"\x00\x12\t", "%00%12%09"},
		{"é", "%C3%A9"},         // U+00E9 is C3 A9 in UTF-8; hex uppercase
		{"\u2713", "%E2%9C%93"}, // botocore TestSigV2.test_put prints 'Foo=%E2%9C%93'
		{"2011-10-03T15:19:30", "2011-10-03T15%3A19%3A30"}, // AWS DescribeJobFlows example
	}
	for _, tt := range tests {
		if got := Encode(tt.in); got != tt.want {
			t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeVariants(t *testing.T) {
	if got, want := encode("a b~", true, false), "a+b~"; got != want {
		t.Errorf("plus: got %q, want %q", got, want)
	}
	if got, want := encode("a b~", false, true), "a%20b%7E"; got != want {
		t.Errorf("tilde: got %q, want %q", got, want)
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		name string
		in   []Param
		want string
	}{
		{"empty", nil, ""},
		{"sorted by name", []Param{{"B", "2"}, {"A", "1"}}, "A=1&B=2"},
		{"byte order, uppercase first", []Param{{"a", "1"}, {"B", "2"}}, "B=2&a=1"},
		{"empty value keeps =", []Param{{"A", ""}}, "A="},
		{"Signature left out", []Param{{"Signature", "x"}, {"A", "1"}}, "A=1"},
		// ':' (0x3A) sorts after '0' (0x30) decoded, but its encoding
		// %3A would sort before: the decoded order is the rule.
		{"sort before encoding", []Param{{"a:", "y"}, {"a0", "x"}}, "a0=x&a%3A=y"},
		{"names and values encoded", []Param{{"a b", "c d"}}, "a%20b=c%20d"},
	}
	for _, tt := range tests {
		if got := CanonicalQuery(tt.in); got != tt.want {
			t.Errorf("%s: CanonicalQuery = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSentQuery: the query the signer writes is the canonical one, except
// that version 1 names equal but for case take the places byte order gives
// their group in the order they are listed (the order StringToSignV1 signs).
func TestSentQuery(t *testing.T) {
	tests := []struct {
		name, version string
		in            []Param
		want          string
	}{
		{"version 2: byte order", Version2, []Param{{"foo", "1"}, {"FOO", "3"}}, "FOO=3&foo=1"},
		{"version 1 without ties: byte order", Version1, []Param{{"b", "2"}, {"A", "1"}}, "A=1&b=2"},
		// Byte order FOO, Zed, b, foo: the foo group's places 1 and 4
		// take foo then FOO.
		{"version 1 ties as listed", Version1, []Param{{"b", "1"}, {"foo", "1"}, {"Zed", "z"}, {"FOO", "3"}, {"Signature", "x"}},
			"foo=1&Zed=z&b=1&FOO=3"},
		{"version 1 ties already in byte order", Version1, []Param{{"FOO", "3"}, {"foo", "1"}}, "FOO=3&foo=1"},
	}
	for _, tt := range tests {
		if got := sentQuery(tt.in, tt.version, false, false); got != tt.want {
			t.Errorf("%s: sentQuery = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	got, err := ParseQuery("a=1&b=x+y&c=%2B&&d&e=")
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{{"a", "1"}, {"b", "x y"}, {"c", "+"}, {"d", ""}, {"e", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseQuery (-want +got):\n%s", diff)
	}
	if _, err := ParseQuery("a=%zz"); err == nil {
		t.Error("ParseQuery accepted a bad escape")
	}
}

func TestStringToSignV2(t *testing.T) {
	tests := []struct {
		method, host, path string
		params             []Param
		want               string
	}{
		{"GET", "example.com", "", []Param{{"Action", "X"}}, "GET\nexample.com\n/\nAction=X"},
		{"POST", "example.com:8773", "/services/Cloud/", []Param{{"B", "b"}, {"A", "a"}}, "POST\nexample.com:8773\n/services/Cloud/\nA=a&B=b"},
		// botocore test_put: a relative URL has no netloc.
		{"POST", "", "/", []Param{{"Foo", "\u2713"}}, "POST\n\n/\nFoo=%E2%9C%93"},
	}
	for _, tt := range tests {
		if got := StringToSignV2(tt.method, tt.host, tt.path, tt.params); got != tt.want {
			t.Errorf("StringToSignV2(%q, %q, %q, %v) = %q, want %q", tt.method, tt.host, tt.path, tt.params, got, tt.want)
		}
	}
}

func TestStringToSignV1(t *testing.T) {
	tests := []struct {
		name string
		in   []Param
		want string
	}{
		{"concatenated, Signature left out", []Param{{"b", "2"}, {"A", "1"}, {"Signature", "x"}}, "A1b2"},
		{"case-insensitive order", []Param{{"Zeta", "z"}, {"alpha", "a"}, {"Beta", "b"}}, "alphaaBetabZetaz"},
		{"ties as listed", []Param{{"a", "1"}, {"A", "2"}}, "a1A2"},
		{"ties as listed, reversed", []Param{{"A", "2"}, {"a", "1"}}, "A2a1"},
		{"ties among others", []Param{{"b", "1"}, {"FOO", "3"}, {"a", "0"}, {"foo", "1"}, {"Foo", "2"}}, "a0b1FOO3foo1Foo2"},
		{"values unencoded", []Param{{"A", "x y&z"}}, "Ax y&z"},
		// keystoneclient test_generate_1's parameters.
		{"keystoneclient", []Param{{"SignatureVersion", "1"}, {"AWSAccessKeyId", "966afbde20b84200ae4e62e09acf46b2"}},
			"AWSAccessKeyId966afbde20b84200ae4e62e09acf46b2SignatureVersion1"},
	}
	for _, tt := range tests {
		if got := StringToSignV1(tt.in); got != tt.want {
			t.Errorf("%s: StringToSignV1 = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestStringToSignV0(t *testing.T) {
	got, err := StringToSignV0([]Param{{"Timestamp", "2012-11-27T11:47:02Z"}, {"Action", "Foo"}, {"Other", "x"}})
	if err != nil || got != "Foo2012-11-27T11:47:02Z" {
		t.Errorf("StringToSignV0 = %q, %v; want %q", got, err, "Foo2012-11-27T11:47:02Z")
	}
	if _, err := StringToSignV0([]Param{{"Action", "Foo"}}); err == nil {
		t.Error("StringToSignV0 without Timestamp: no error")
	}
	if _, err := StringToSignV0([]Param{{"Timestamp", "x"}}); err == nil {
		t.Error("StringToSignV0 without Action: no error")
	}
}

func TestHost(t *testing.T) {
	tests := []struct{ authority, scheme, want string }{
		{"Example.COM", "https", "example.com"},
		{"example.com:443", "https", "example.com"},
		{"example.com:443", "http", "example.com:443"},
		{"example.com:80", "http", "example.com"},
		{"example.com:80", "HTTP", "example.com"},
		{"example.com:8773", "http", "example.com:8773"},
		{"[::1]:443", "https", "[::1]"},
		{"[::1]:8443", "https", "[::1]:8443"},
		{"host:80", "", "host:80"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := Host(tt.authority, tt.scheme); got != tt.want {
			t.Errorf("Host(%q, %q) = %q, want %q", tt.authority, tt.scheme, got, tt.want)
		}
	}
}

func TestSignature(t *testing.T) {
	tests := []struct {
		name, secret, method, sts, want string
	}{
		// Wikipedia "HMAC" examples, hex f7bc83f4...3cd8 and de7c9b85...b4d9
		// written in Base64.
		{"hmac-sha256 known answer", "key", HmacSHA256, "The quick brown fox jumps over the lazy dog", "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="},
		{"hmac-sha1 known answer", "key", HmacSHA1, "The quick brown fox jumps over the lazy dog", "3nybhbi3iqa8ino29wqQcBydtNk="},
		// botocore TestSigV2.test_put: calc_signature over {'Foo': '✓'}
		// alone, string to sign derived from botocore's code.
		{"botocore test_put", "bar", HmacSHA256, "POST\n\n/\nFoo=%E2%9C%93", "VCtWuwaOL0yMffAT8W4y0AFW3W4KUykBqah9S40rB+Q="},
		// keystoneclient test_generate_v2_SHA256 / _SHA1: Ec2Signer adds
		// SignatureMethod itself.
		{"keystoneclient v2 sha256", "89cdf9e94e2643cab35b8b8ac5a51f83", HmacSHA256,
			"GET\n127.0.0.1\n/v1/\nAWSAccessKeyId=966afbde20b84200ae4e62e09acf46b2&SignatureMethod=HmacSHA256&SignatureVersion=2",
			"odsGmT811GffUO0Eu13Pq+xTzKNIjJ6NhgZU74tYX/w="},
		{"keystoneclient v2 sha1", "89cdf9e94e2643cab35b8b8ac5a51f83", HmacSHA1,
			"GET\n127.0.0.1\n/v1/\nAWSAccessKeyId=966afbde20b84200ae4e62e09acf46b2&SignatureMethod=HmacSHA1&SignatureVersion=2",
			"ZqCxMI4ZtTXWI175743mJ0hy/Gc="},
		{"keystoneclient v1", "89cdf9e94e2643cab35b8b8ac5a51f83", HmacSHA1,
			"AWSAccessKeyId966afbde20b84200ae4e62e09acf46b2SignatureVersion1", "VRnoQH/EhVTTLhwRLfuL7jmFW9c="},
		{"keystoneclient v0", "89cdf9e94e2643cab35b8b8ac5a51f83", HmacSHA1, "Foo2012-11-27T11:47:02Z", "SmXQEZAUdQw5glv5mX8mmixBtas="},
	}
	for _, tt := range tests {
		got, err := Signature(tt.secret, tt.method, tt.sts)
		if err != nil || got != tt.want {
			t.Errorf("%s: Signature = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := Signature("k", "HmacMD5", "x"); err == nil {
		t.Error("Signature with HmacMD5: no error")
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2011, 10, 3, 15, 19, 30, 0, time.UTC)
	for _, s := range []string{"2011-10-03T15:19:30", "2011-10-03T15:19:30Z", "2011-10-03T15:19:30.000Z", "2011-10-03T17:19:30+02:00"} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "yesterday", "2011-10-03", "Mon, 03 Oct 2011 15:19:30 GMT"} {
		if _, err := ParseTime(s); err == nil {
			t.Errorf("ParseTime(%q): no error", s)
		}
	}
}
