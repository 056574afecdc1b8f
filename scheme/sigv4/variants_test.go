package sigv4

import (
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
)

// The expected canonical requests below are worked out by hand from each
// library's code as cited in the variant's Refs, not by running this code.
// The payload hashes are the published ones: SHA-256("") = e3b0c442...,
// SHA-256("data") = 3a6eb079... (sigv4/payload vectors), SHA-256
// ("Param1=value1") = 9095672b... (aws-sig-v4-test-suite post-x-www-form-urlencoded).
const (
	hashEmpty  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	hashData   = "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"
	hashParam1 = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
	hostLine   = "host:example.amazonaws.com\n"
	dateLine   = "x-amz-date:20240102T030405Z\n"
	// presignQuery is the presign parameters before X-Amz-SignedHeaders.
	presignQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240102%2Fus-east-1%2Fservice%2Faws4_request" +
		"&X-Amz-Date=20240102T030405Z&X-Amz-Expires=60&X-Amz-SignedHeaders="
)

func variantInput(method, url, body string, headers ...string) sigconform.Input {
	in := sigconform.Input{
		Credentials: sigconform.Credentials{AccessKey: "AKID", SecretKey: "secret"},
		Request:     sigconform.Request{Method: method, URL: url, Body: body},
		Context:     sigconform.Context{Time: "2024-01-02T03:04:05Z", Region: "us-east-1", Service: "service"},
	}
	for i := 0; i+1 < len(headers); i += 2 {
		in.Request.Headers = append(in.Request.Headers, sigconform.Header{Name: headers[i], Value: headers[i+1]})
	}
	return in
}

func presigned(in sigconform.Input) sigconform.Input {
	in.Context.PresignExpires = 60
	return in
}

func unnormalized(in sigconform.Input) sigconform.Input {
	f := false
	in.Context.NormalizePath = &f
	return in
}

func withToken(in sigconform.Input) sigconform.Input {
	in.Credentials.SessionToken = "tok"
	return in
}

var variantTests = []struct {
	variant string
	in      sigconform.Input
	want    string // the canonical request
}{
	{ParamsInCanonicalQuery,
		variantInput("POST", "https://example.amazonaws.com/", "Param1=value1", "Content-Type", "application/x-www-form-urlencoded"),
		"POST\n/\nParam1=value1\ncontent-type:application/x-www-form-urlencoded\n" + hostLine + dateLine +
			"\ncontent-type;host;x-amz-date\n" + hashParam1},
	{PostQueryIgnored,
		variantInput("POST", "https://example.amazonaws.com/?Param1=value1", ""),
		"POST\n/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// boto 2 posts the query as the body: the payload is its hash.
	{PostQueryInBody,
		variantInput("POST", "https://example.amazonaws.com/?Param1=value1", ""),
		"POST\n/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashParam1},
	{SessionTokenUnsigned,
		withToken(variantInput("GET", "https://example.amazonaws.com/", "")),
		"GET\n/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// Go's url.ParseQuery skips the piece "a=1;2" whole.
	{SemicolonPairDropped,
		variantInput("GET", "https://example.amazonaws.com/?a=1;2&b=3", ""),
		"GET\n/\nb=3\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// [key, value] = "a=b=c".split("=") keeps "b".
	{ValueCutAtEquals,
		variantInput("GET", "https://example.amazonaws.com/?a=b=c", ""),
		"GET\n/\na=b\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// "flag" alone is dropped; the repeated "a" becomes [null, "1"]:
	// a=null and a=1, sorted ('1' < 'n').
	{ValuelessKeyDropped,
		variantInput("GET", "https://example.amazonaws.com/?flag&a&a=1", ""),
		"GET\n/\na=1&a=null\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// The JSON field joins the query ('X' < 'a'); the body is emptied.
	{PresignBodyInQuery,
		presigned(variantInput("POST", "https://example.amazonaws.com/", `{"a":"1"}`, "Content-Type", "application/json")),
		"POST\n/\n" + presignQuery + "content-type%3Bhost&a=1\ncontent-type:application/json\n" + hostLine +
			"\ncontent-type;host\n" + hashEmpty},
	{PresignDateHeaderSigned,
		presigned(variantInput("GET", "https://example.amazonaws.com/", "", "X-Amz-Date", "20240102T030405Z")),
		"GET\n/\n" + presignQuery + "host%3Bx-amz-date\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	{ExpectSigned,
		variantInput("GET", "https://example.amazonaws.com/", "", "Expect", "100-continue"),
		"GET\n/\n\nexpect:100-continue\n" + hostLine + dateLine + "\nexpect;host;x-amz-date\n" + hashEmpty},
	{RangeUnsigned,
		variantInput("GET", "https://example.amazonaws.com/", "", "Range", "bytes=0-9"),
		"GET\n/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// ["  a  ", "  b  "].toString() is "  a  ,  b  "; trim, \s+ -> ' '.
	{RepeatedHeaderJoinedBeforeTrim,
		variantInput("GET", "https://example.amazonaws.com/", "", "X-Test", "  a  ", "X-Test", "  b  "),
		"GET\n/\n\n" + hostLine + dateLine + "x-test:a , b\n\nhost;x-amz-date;x-test\n" + hashEmpty},
	{TabsNotCollapsed,
		variantInput("GET", "https://example.amazonaws.com/", "", "X-Test", "\ta\t\tb  c\t"),
		"GET\n/\n\n" + hostLine + dateLine + "x-test:a\t\tb c\n\nhost;x-amz-date;x-test\n" + hashEmpty},
	// versitygw: url.PathUnescape("/%7Euser/a%2fb%c3%a9") is "/~user/a/bé";
	// escapePath keeps '~' and '/', writes é as %C3%A9. The reference (S3,
	// unnormalized) keeps the escapes as sent.
	{PathDecodedReencoded,
		unnormalized(variantInput("GET", "https://example.amazonaws.com/%7Euser/a%2fb%c3%a9", "")),
		"GET\n/~user/a/b%C3%A9\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	{InnerWhitespaceKept,
		variantInput("GET", "https://example.amazonaws.com/", "", "X-Test", " a   b\tc "),
		"GET\n/\n\n" + hostLine + dateLine + "x-test:a   b\tc\n\nhost;x-amz-date;x-test\n" + hashEmpty},
	// Decoded "aZ" < "a[" ('Z' 5A < '[' 5B); encoded "a%5B" < "aZ".
	{QuerySortedBeforeEncoding,
		variantInput("GET", "https://example.amazonaws.com/?a%5B=2&aZ=1", ""),
		"GET\n/\naZ=1&a%5B=2\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// Raw pieces sorted: ("a", "x*y") < ("b", "%7e"); nothing re-encoded.
	{QueryNotReencoded,
		variantInput("GET", "https://example.amazonaws.com/?b=%7e&a=x*y", ""),
		"GET\n/\na=x*y&b=%7e\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// "/a b" is sent as "/a%20b", whose '%' the canonical URI encodes.
	{UnsafePathEscaped,
		variantInput("GET", "https://example.amazonaws.com/a b", ""),
		"GET\n/a%2520b\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	// normpath("//a//b//") = "//a/b", and the trailing '/' put back.
	{PosixNormpath,
		variantInput("GET", "https://example.amazonaws.com//a//b//", ""),
		"GET\n//a/b/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	{PathNotNormalized,
		variantInput("GET", "https://example.amazonaws.com/a/./b//c%20d", ""),
		"GET\n/a/./b//c%2520d\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	{PathUnencoded,
		variantInput("GET", "https://example.amazonaws.com/a/../b c/%41", ""),
		"GET\n/a/../b c/%41\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashEmpty},
	{PayloadAlwaysBodyHash,
		variantInput("PUT", "https://example.amazonaws.com/a", "data", "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
		"PUT\n/a\n\n" + hostLine + "x-amz-content-sha256:UNSIGNED-PAYLOAD\n" + dateLine +
			"\nhost;x-amz-content-sha256;x-amz-date\n" + hashData},
	{BodyHeadersSigned,
		variantInput("PUT", "https://example.amazonaws.com/a", "data"),
		"PUT\n/a\n\ncontent-length:4\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\n" + hostLine + dateLine +
			"\ncontent-length;content-type;host;x-amz-date\n" + hashData},
	// "x-amz-" < "x-amzn" ('-' 2D < 'n').
	{HostAndAmzHeadersOnly,
		variantInput("GET", "https://example.amazonaws.com/", "", "My-Header1", "v", "X-Amzn-Trace-Id", "t", "X-Amz-Meta-A", "m"),
		"GET\n/\n\n" + hostLine + dateLine + "x-amz-meta-a:m\nx-amzn-trace-id:t\n\nhost;x-amz-date;x-amz-meta-a;x-amzn-trace-id\n" + hashEmpty},
	{ContentSha256Signed,
		variantInput("GET", "https://example.amazonaws.com/", ""),
		"GET\n/\n\n" + hostLine + "x-amz-content-sha256:" + hashEmpty + "\n" + dateLine +
			"\nhost;x-amz-content-sha256;x-amz-date\n" + hashEmpty},
	{BotocoreS3,
		unnormalized(variantInput("GET", "https://example.amazonaws.com/a b", "")),
		"GET\n/a b\n\n" + hostLine + "x-amz-content-sha256:" + hashEmpty + "\n" + dateLine +
			"\nhost;x-amz-content-sha256;x-amz-date\n" + hashEmpty},
	// The query goes to the body; Content-Type is not signed;
	// normpath("//x/") = "//x", the '/' put back.
	{Boto2V4,
		variantInput("POST", "https://example.amazonaws.com//x/?Param1=value1", "", "Content-Type", "text/plain"),
		"POST\n//x/\n\n" + hostLine + dateLine + "\nhost;x-amz-date\n" + hashParam1},
	// Sorted as written: "B-up" < "Host" < "User-Agent" < "X-AMZ-Content-SHA256"
	// < "X-AMZ-Date" < "a-low"; a POST without a body is UNSIGNED-PAYLOAD.
	{LibcloudV4,
		variantInput("POST", "https://example.amazonaws.com/a b", "", "a-low", " 1  2 ", "B-up", "2", "User-Agent", "ua"),
		"POST\n/a b\n\nb-up:2\n" + hostLine + "user-agent:ua\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n" + dateLine +
			"a-low:1  2\n\nb-up;host;user-agent;x-amz-content-sha256;x-amz-date;a-low\nUNSIGNED-PAYLOAD"},
}

func TestVariantCanonicalRequests(t *testing.T) {
	tested := map[string]bool{FutureDateAccepted: true, // TestFutureDateAccepted
		Gofakes3PayloadUnchecked: true, Gofakes3QueryValuesEncode: true, Gofakes3: true} // TestGofakes3
	for _, tt := range variantTests {
		tested[tt.variant] = true
		t.Run(tt.variant, func(t *testing.T) {
			ref, err := Scheme.Sign(tt.in, "")
			if err != nil {
				t.Fatalf("reference Sign: %v", err)
			}
			res, err := Scheme.Sign(tt.in, tt.variant)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got := res.Stages[0].Value; got != tt.want {
				t.Errorf("canonical request\n got %q\nwant %q", got, tt.want)
			}
			if res.Signature == ref.Signature {
				t.Errorf("the variant signs this input as the reference does: it shows nothing")
			}
		})
	}
	for _, v := range Scheme.Variants() {
		if !tested[v.Name] {
			t.Errorf("variant %q has no table test", v.Name)
		}
	}
}

// TestVariantsSentRequest checks what the variants' clients send besides
// the signature: aws4 the escaped path and its body headers.
func TestVariantsSentRequest(t *testing.T) {
	res, err := Scheme.Sign(variantInput("GET", "https://example.amazonaws.com/a b?x=1", ""), UnsafePathEscaped)
	if err != nil || res.URL != "https://example.amazonaws.com/a%20b?x=1" {
		t.Errorf("unsafe-path-escaped URL = %q, %v", res.URL, err)
	}
	res, err = Scheme.Sign(variantInput("PUT", "https://example.amazonaws.com/a", "data", "Content-Type", "text/plain"), BodyHeadersSigned)
	if err != nil || !slices.Contains(res.Headers, sigconform.Header{Name: "Content-Length", Value: "4"}) ||
		slices.ContainsFunc(res.Headers, func(h sigconform.Header) bool { return h.Name == "Content-Type" }) {
		t.Errorf("body-headers-signed headers = %v, %v: want Content-Length added, the given Content-Type kept", res.Headers, err)
	}
}

// TestVariantsVerifySigned signs with each variant that changes verifying
// and checks that the variant's verifier accepts what the reference's
// refuses.
func TestVariantsVerifySigned(t *testing.T) {
	for _, tt := range variantTests {
		v, _ := lookupVariant(tt.variant)
		if !v.Verifies {
			continue
		}
		t.Run(tt.variant, func(t *testing.T) {
			res, err := Scheme.Sign(tt.in, tt.variant)
			if err != nil {
				t.Fatal(err)
			}
			in := tt.in
			in.Request = res.Apply(tt.in.Request)
			if vd := Scheme.Verify(in, tt.variant); !vd.Accept {
				t.Errorf("the variant's verifier refuses its own signature: %+v", vd)
			}
			if vd := Scheme.Verify(in, ""); vd.Accept {
				t.Errorf("the reference verifier accepts the variant's signature")
			}
		})
	}
}

func lookupVariant(name string) (sigconform.Variant, bool) {
	return sigconform.LookupVariant(Scheme, name)
}

// TestFutureDateAccepted: keystone refuses only a date more than 15
// minutes old, and ignores X-Amz-Expires.
func TestFutureDateAccepted(t *testing.T) {
	at := func(in sigconform.Input, now string) sigconform.Input {
		in.Context.Time = now
		return in
	}
	header := variantInput("GET", "https://example.amazonaws.com/", "")
	res, err := Scheme.Sign(header, "")
	if err != nil {
		t.Fatal(err)
	}
	header.Request = res.Apply(header.Request)
	query := presigned(variantInput("GET", "https://example.amazonaws.com/", ""))
	query.Context.PresignExpires = 3600
	res, err = Scheme.Sign(query, "")
	if err != nil {
		t.Fatal(err)
	}
	query.Request = res.Apply(query.Request)
	tests := []struct {
		in            sigconform.Input
		now           string
		ref, keystone bool // accepted
	}{
		{header, "2024-01-02T02:04:05Z", false, true},  // signed an hour in the future
		{header, "2024-01-02T03:14:05Z", true, true},   // 10 minutes old
		{header, "2024-01-02T03:24:05Z", false, false}, // 20 minutes old
		{query, "2024-01-02T03:34:05Z", true, false},   // 30 of 60 minutes: keystone allows 15
		{query, "2024-01-02T02:04:05Z", false, true},   // an hour before X-Amz-Date
	}
	for _, tt := range tests {
		in := at(tt.in, tt.now)
		if got := Scheme.Verify(in, "").Accept; got != tt.ref {
			t.Errorf("%s at %s: reference accepts = %v, want %v", in.Request.URL, tt.now, got, tt.ref)
		}
		vd := Scheme.Verify(in, FutureDateAccepted)
		if vd.Accept != tt.keystone || (!vd.Accept && vd.Reason != sigconform.Expired) {
			t.Errorf("%s at %s: %s = %+v, want accept %v", in.Request.URL, tt.now, FutureDateAccepted, vd, tt.keystone)
		}
	}
	if _, err := Scheme.Explain(header, FutureDateAccepted); err == nil || !strings.Contains(err.Error(), "verifying only") {
		t.Errorf("Explain(%s) = %v, want it refused", FutureDateAccepted, err)
	}
}

func TestPosixNormpath(t *testing.T) {
	// Python 3: posixpath.normpath.
	for in, want := range map[string]string{
		"": ".", "/": "/", "//": "//", "///": "/", "/./": "/", "//a//b//": "//a/b",
		"/a/../..": "/", "a/../..": "..", "/a/b/../c/.": "/a/c", "a//b": "a/b",
	} {
		if got := posixNormpath(in); got != want {
			t.Errorf("posixNormpath(%q) = %q, want %q", in, got, want)
		}
	}
}

// signedAs signs in with the reference and returns it as sent.
func signedAs(t *testing.T, in sigconform.Input) sigconform.Input {
	t.Helper()
	res, err := Scheme.Sign(in, "")
	if err != nil {
		t.Fatalf("Sign(%s %s): %v", in.Request.Method, in.Request.URL, err)
	}
	in.Request = res.Apply(in.Request)
	return in
}

// s3Input is variantInput for S3: service s3, the path not normalized.
func s3Input(method, url, body string, headers ...string) sigconform.Input {
	in := unnormalized(variantInput(method, url, body, headers...))
	in.Context.Service = "s3"
	return in
}

// TestGofakes3 checks the gofakes3 verifying variants (rclone serve s3)
// against requests whose fate follows from gofakes3's code as cited in the
// variants' Refs: which it accepts that the reference refuses, and the
// reverse.
func TestGofakes3(t *testing.T) {
	withBody := func(in sigconform.Input, body string) sigconform.Input {
		in.Request.Body = body
		return in
	}
	// A PUT signing its body's hash in X-Amz-Content-Sha256, then sent
	// with another body of the same length.
	put := signedAs(t, s3Input("PUT", "https://example.amazonaws.com/bucket/key", "data", "X-Amz-Content-Sha256", hashData))
	// A request with a body and no X-Amz-Content-Sha256: SigV4 hashes
	// the body; gofakes3 signs the empty hash.
	post := signedAs(t, s3Input("POST", "https://example.amazonaws.com/bucket/key", "data"))
	// Signed over an empty body, sent with one.
	emptySigned := withBody(signedAs(t, s3Input("PUT", "https://example.amazonaws.com/bucket/key", "")), "evil")
	// A presigned URL for a service that hashes the (empty) body, not
	// UNSIGNED-PAYLOAD.
	pre := signedAs(t, presigned(s3Input("GET", "https://example.amazonaws.com/bucket/key", "")))
	preUnsigned := pre
	preUnsigned.Context.UnsignedPayload = true
	preUnsigned = signedAs(t, sigconform.Input{Credentials: pre.Credentials, Context: preUnsigned.Context,
		Request: sigconform.Request{Method: "GET", URL: "https://example.amazonaws.com/bucket/key"}})
	// A name repeated with its values out of order, and a piece with ';'.
	repeated := signedAs(t, s3Input("GET", "https://example.amazonaws.com/?a=2&a=1", "", "X-Amz-Content-Sha256", hashEmpty))
	semicolon := signedAs(t, s3Input("GET", "https://example.amazonaws.com/?a=1&b=x;y", "", "X-Amz-Content-Sha256", hashEmpty))
	sorted := signedAs(t, s3Input("GET", "https://example.amazonaws.com/?a=1&a=2&b=%20", "", "X-Amz-Content-Sha256", hashEmpty))
	// Paths with escapes S3 signs as sent.
	tilde := signedAs(t, s3Input("GET", "https://example.amazonaws.com/bucket/%7Euser", "", "X-Amz-Content-Sha256", hashEmpty))
	slash := signedAs(t, s3Input("GET", "https://example.amazonaws.com/bucket/a%2Fb", "", "X-Amz-Content-Sha256", hashEmpty))
	plain := signedAs(t, s3Input("GET", "https://example.amazonaws.com/bucket/caf%C3%A9 x", "", "X-Amz-Content-Sha256", hashEmpty))

	tests := []struct {
		name string
		in   sigconform.Input
		// accepted by the reference and by payload-unchecked,
		// query-values-encode, path-decoded-reencoded and gofakes3
		ref, payload, query, path, all bool
	}{
		{"body replaced after signing", withBody(put, "evil"), false, true, false, false, true},
		{"PUT as signed", put, true, true, true, true, true},
		{"body hashed, no header", post, true, false, true, true, false},
		{"empty body signed, body sent", emptySigned, false, true, false, false, true},
		{"presigned, empty-body hash", pre, true, false, true, true, false},
		{"presigned, UNSIGNED-PAYLOAD", preUnsigned, true, true, true, true, true},
		{"a=2&a=1", repeated, true, true, false, true, false},
		{"piece with ';'", semicolon, true, true, false, true, false},
		{"a=1&a=2&b=%20", sorted, true, true, true, true, true},
		{"path %7E", tilde, true, true, true, false, false},
		{"path %2F", slash, true, true, true, false, false},
		{"path UTF-8 and a space", plain, true, true, true, true, true},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			variant string
			want    bool
		}{{"", tt.ref}, {Gofakes3PayloadUnchecked, tt.payload}, {Gofakes3QueryValuesEncode, tt.query},
			{PathDecodedReencoded, tt.path}, {Gofakes3, tt.all}} {
			if vd := Scheme.Verify(tt.in, c.variant); vd.Accept != c.want {
				t.Errorf("%s: Verify(%q) = %+v, want accept %v", tt.name, c.variant, vd, c.want)
			}
		}
		if _, err := Scheme.Explain(tt.in, Gofakes3); err == nil {
			t.Errorf("Explain(%s) = nil error, want it refused: it changes verifying only", Gofakes3)
		}
	}
}

// TestGofakes3Canonical checks the canonical URI and query strings
// gofakes3 builds, worked out by hand from encodePath (the same as
// path-decoded-reencoded but for a byte that is not UTF-8, which gofakes3
// writes as %EF%BF%BD) and url.Values.Encode.
func TestGofakes3Canonical(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/": "/", "/a/./b//c": "/a/./b//c", "/%7Euser": "/~user", "/a%2fb": "/a/b",
		"/caf%c3%a9": "/caf%C3%A9", "/a b+c": "/a%20b%2Bc", "/%zz": "/%25zz",
	} {
		if got := canonicalURIFor(in, false, rules{path: pathDecoded}); got != want {
			t.Errorf("canonical URI of %q = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"":                         "",
		"b=2&a=2&a=1":              "a=2&a=1&b=2",
		"a=1&b=x;y":                "a=1",
		"a=%zz&b=1":                "b=1",
		"q=a+b&r=a%2Bb&s=%7e":      "q=a%20b&r=a%2Bb&s=~",
		"flag&X-Amz-Signature=abc": "flag=",
		"Z=1&a%5B=2&aZ=3":          "Z=1&aZ=3&a%5B=2", // decoded: "aZ" < "a["
	} {
		if got := goValuesQuery(in); got != want {
			t.Errorf("goValuesQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
