package sigv4

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/schemetest"
	"github.com/sigconform/sigconform/vectors"
)

func TestVectors(t *testing.T) { schemetest.Run(t, Scheme) }

// Expected values below are worked out by hand from the rules in AWS's
// "Create a canonical request" page and RFC 3986, not by running this code.

func TestURIEncode(t *testing.T) {
	tests := []struct {
		in        string
		keepSlash bool
		want      string
	}{
		{"-._~AZaz09", false, "-._~AZaz09"}, // unreserved kept
		{"a b", false, "a%20b"},             // space is %20, never '+'
		{"a+b", false, "a%2Bb"},
		{"a/b", false, "a%2Fb"},
		{"a/b", true, "a/b"},
		{"=&:@!$'()*,;", false, "%3D%26%3A%40%21%24%27%28%29%2A%2C%3B"},
		{"%", false, "%25"},
		{"ሴ", false, "%E1%88%B4"}, // U+1234 is E1 88 B4 in UTF-8, hex uppercase
		{"\x00\xff", false, "%00%FF"},
	}
	for _, tt := range tests {
		if got := URIEncode(tt.in, tt.keepSlash); got != tt.want {
			t.Errorf("URIEncode(%q, %v) = %q, want %q", tt.in, tt.keepSlash, got, tt.want)
		}
	}
}

func TestCanonicalQueryString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Param2=value2&Param1=value1", "Param1=value1&Param2=value2"},
		{"b=1&a", "a=&b=1"},                                    // no '=' -> empty value
		{"a=2&a=1&A=3", "A=3&a=1&a=2"},                         // byte order: 'A' < 'a'; same name by value
		{"a%20b=c+d", "a%20b=c%2Bd"},                           // decode %20, '+' stays a plus
		{"k=%7e%2f", "k=~%2F"},                                 // lowercase escapes decoded, re-encoded canonically
		{"x=1&&y=2", "x=1&y=2"},                                // empty piece dropped
		{"p=a=b", "p=a%3Db"},                                   // only the first '=' splits
		{"%E1%88%B4=bar", "%E1%88%B4=bar"},                     // already canonical
		{"bad=%zz", "bad=%25zz"},                               // stray '%' is literal
		{"s=1&s1=0", "s=1&s1=0"},                               // "s" < "s1"
		{"a-b=1&a.b=2&a_b=3&a~b=4", "a-b=1&a.b=2&a_b=3&a~b=4"}, // '-'(2D) < '.'(2E) < '_'(5F) < '~'(7E)
	}
	for _, tt := range tests {
		if got := CanonicalQueryString(tt.in); got != tt.want {
			t.Errorf("CanonicalQueryString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTrimHeaderValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{" value1", "value1"},
		{`"a   b   c"`, `"a b c"`},
		{"\t a \t b \t", "a b"},
		{"", ""},
		{"   ", ""},
		{"x", "x"},
	}
	for _, tt := range tests {
		if got := TrimHeaderValue(tt.in); got != tt.want {
			t.Errorf("TrimHeaderValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	block, signed := CanonicalHeaders([]sigconform.Header{
		{Name: "X-Amz-Date", Value: "20150830T123600Z"},
		{Name: "My-Header1", Value: "value4"},
		{Name: "Host", Value: "example.amazonaws.com"},
		{Name: "my-header1", Value: "  value1 "},
	})
	wantBlock := "host:example.amazonaws.com\nmy-header1:value4,value1\nx-amz-date:20150830T123600Z\n"
	if block != wantBlock || signed != "host;my-header1;x-amz-date" {
		t.Errorf("CanonicalHeaders = %q, %q; want %q, %q", block, signed, wantBlock, "host;my-header1;x-amz-date")
	}
}

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"//", "/"},
		{"/./", "/"},
		{"/example/..", "/"},
		{"/example1/example2/../..", "/"},
		{"/./example", "/example"},
		{"//example//", "/example/"},
		{"/a/b/../c/./d", "/a/c/d"},
		{"/a/b/", "/a/b/"},
		{"/..", "/"},
		{"/a/..//b", "/b"},
		{"/a/.../b", "/a/.../b"}, // "..." is an ordinary segment
	}
	for _, tt := range tests {
		if got := NormalizePath(tt.in); got != tt.want {
			t.Errorf("NormalizePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct {
		in        string
		normalize bool
		want      string
	}{
		{"/example space/", true, "/example%20space/"},
		{"/a%20b", true, "/a%2520b"}, // non-S3: the wire escape is encoded again
		{"/a%20b", false, "/a%20b"},  // S3: kept as sent
		{"//example//", false, "//example//"},
		{"/./a/../b", false, "/./a/../b"},
		{"/a b", false, "/a%20b"}, // a byte that cannot be on the wire is encoded once
		{"/ሴ", true, "/%E1%88%B4"},
		{"/ሴ", false, "/%E1%88%B4"}, // raw UTF-8: each byte encoded once
		{"", true, "/"},
		{"", false, "/"},
	}
	for _, tt := range tests {
		if got := CanonicalURI(tt.in, tt.normalize); got != tt.want {
			t.Errorf("CanonicalURI(%q, %v) = %q, want %q", tt.in, tt.normalize, got, tt.want)
		}
	}
}

// TestSigningKeyAndSignature uses the example in AWS's "Examples of how to
// derive a signing key for Signature Version 4" page: secret
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
func TestSigningKeyAndSignature(t *testing.T) {
	const want = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
	got := SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
	if h := strings.ToLower(hexString(got)); h != want {
		t.Errorf("SigningKey = %s, want %s", h, want)
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestStringToSign(t *testing.T) {
	// SHA-256 of the empty string is e3b0c442...b855 (FIPS 180-2 test value).
	got := StringToSign("20150830T123600Z", Scope("20150830", "us-east-1", "service"), "")
	want := "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}
}

var vanilla = sigconform.Input{
	Scheme:      "sigv4",
	Credentials: sigconform.Credentials{AccessKey: "AKIDEXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
	Request: sigconform.Request{Method: "GET", URL: "https://example.amazonaws.com/", Headers: []sigconform.Header{
		{Name: "Host", Value: "example.amazonaws.com"}, {Name: "X-Amz-Date", Value: "20150830T123600Z"},
	}},
	Context: sigconform.Context{Time: "2015-08-30T12:36:00Z", Region: "us-east-1", Service: "service"},
}

// withAuthz is get-vanilla as the server receives it, with Authorization
// set to the given signature.
func withAuthz(sig string) sigconform.Input {
	in := vanilla
	in.Request.Headers = append(append([]sigconform.Header(nil), vanilla.Request.Headers...), sigconform.Header{
		Name:  "Authorization",
		Value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig,
	})
	return in
}

// The get-vanilla signature from the 2015 suite, and the same 32 bytes in
// other forms, converted by hand from the hex.
const (
	vanillaSig    = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	vanillaSigB64 = "X6APoxVTtz6/GUJnboYpHoNy/yoiYJVtm4quHXY/vzE="
)

func TestVerify(t *testing.T) {
	later := func(in sigconform.Input, at string) sigconform.Input { in.Context.Time = at; return in }
	otherKey := withAuthz(vanillaSig)
	otherKey.Credentials.AccessKey = "AKIDOTHER"
	tests := []struct {
		name string
		in   sigconform.Input
		want sigconform.Reason // "" = accept
	}{
		{"valid", withAuthz(vanillaSig), ""},
		{"uppercase hex", withAuthz(strings.ToUpper(vanillaSig)), sigconform.WrongEncoding},
		{"base64", withAuthz(vanillaSigB64), sigconform.WrongEncoding},
		{"one bit", withAuthz("4fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), sigconform.BadSignature},
		{"no authorization", vanilla, sigconform.MissingParameter},
		{"unknown key", otherKey, sigconform.UnknownKey},
		{"14 minutes late", later(withAuthz(vanillaSig), "2015-08-30T12:50:00Z"), ""},
		{"16 minutes late", later(withAuthz(vanillaSig), "2015-08-30T12:52:00Z"), sigconform.Expired},
		{"16 minutes early", later(withAuthz(vanillaSig), "2015-08-30T12:20:00Z"), sigconform.Expired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Scheme.Verify(tt.in, "")
			if tt.want == "" {
				if !v.Accept {
					t.Fatalf("rejected: %s %s", v.Reason, v.Detail)
				}
				return
			}
			if v.Accept || v.Reason != tt.want {
				t.Fatalf("got %+v, want reject %s", v, tt.want)
			}
			if strings.Contains(v.Detail, tt.in.Credentials.SecretKey) {
				t.Fatal("detail leaks the secret")
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, authz := range []string{
		"AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + vanillaSig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host;x-amz-date, Signature=" + vanillaSig,
		"AWS4-HMAC-SHA256 garbage",
	} {
		in := vanilla
		in.Request.Headers = append(append([]sigconform.Header(nil), vanilla.Request.Headers...), sigconform.Header{Name: "Authorization", Value: authz})
		if v := Scheme.Verify(in, ""); v.Reason != sigconform.Malformed {
			t.Errorf("%q: got %+v, want malformed", authz, v)
		}
	}
	in := vanilla
	in.Request.Headers = append(append([]sigconform.Header(nil), vanilla.Request.Headers...), sigconform.Header{
		Name: "Authorization", Value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, Signature=" + vanillaSig})
	if v := Scheme.Verify(in, ""); v.Reason != sigconform.MissingParameter {
		t.Errorf("no SignedHeaders: got %+v, want missing-parameter", v)
	}
}

// TestSignVerifyRoundTrip signs and verifies with every variant, header
// and presigned, so Verify reads what Sign writes.
func TestSignVerifyRoundTrip(t *testing.T) {
	form := sigconform.Request{Method: "POST", URL: "https://example.amazonaws.com/?Action=x", Body: "b=2&a=1+1",
		Headers: []sigconform.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}}}
	for _, presign := range []int{0, 300} {
		for _, variant := range []string{"", ParamsInCanonicalQuery, PostQueryIgnored} {
			in := vanilla
			in.Request = form
			in.Credentials.SessionToken = "tok/en+=="
			in.Context.PresignExpires = presign
			res, err := Scheme.Sign(in, variant)
			if err != nil {
				t.Fatal(err)
			}
			got := in
			got.Request.URL = res.URL
			got.Request.Headers = append(append([]sigconform.Header(nil), form.Headers...), res.Headers...)
			if v := Scheme.Verify(got, variant); !v.Accept {
				t.Errorf("presign=%d variant %q: %s %s", presign, variant, v.Reason, v.Detail)
			}
			if variant != "" {
				if v := Scheme.Verify(got, ""); v.Accept || v.Reason != sigconform.BadSignature {
					t.Errorf("presign=%d variant %q verified by the reference: %+v", presign, variant, v)
				}
			}
			if presign > 0 {
				late := got
				late.Context.Time = "2015-08-30T12:41:01Z"
				if v := Scheme.Verify(late, variant); v.Reason != sigconform.Expired {
					t.Errorf("presign=%d: after expiry got %+v", presign, v)
				}
			}
		}
	}
}

func TestUnknownVariant(t *testing.T) {
	if _, err := Scheme.Sign(vanilla, "nope"); !errors.Is(err, sigconform.ErrUnknownVariant) {
		t.Errorf("Sign: %v", err)
	}
	if v := Scheme.Verify(withAuthz(vanillaSig), "nope"); v.Reason != sigconform.Malformed {
		t.Errorf("Verify: %+v", v)
	}
}

func TestSignErrors(t *testing.T) {
	bad := []sigconform.Input{
		{Request: sigconform.Request{Method: "GET", URL: "/relative"}, Credentials: vanilla.Credentials, Context: vanilla.Context},
		{Request: sigconform.Request{Method: "GET", URL: "https://h/"}, Credentials: vanilla.Credentials},
		{Request: sigconform.Request{Method: "GET", URL: "https://h/"}, Credentials: vanilla.Credentials,
			Context: sigconform.Context{Region: "r", Service: "s"}},
		{Request: sigconform.Request{Method: "GET", URL: "https://h/"}, Credentials: vanilla.Credentials,
			Context: sigconform.Context{Region: "r", Service: "s", Time: "yesterday"}},
	}
	for i, in := range bad {
		if _, err := Scheme.Sign(in, ""); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

// TestYAMLRoundTrip checks that a stage with trailing spaces, a leading
// space and no final newline survives Marshal and Parse unchanged.
func TestYAMLRoundTrip(t *testing.T) {
	values := []string{"GET\n/\n\nhost:h  \n\nhost\ne3b0", " lead\ntrail \n", "a\n\nb", "x-amz-date:1\t\nz"}
	f := &vectors.File{Format: vectors.FormatV1, Scheme: "sigv4", Topic: "rt"}
	for i, v := range values {
		f.Cases = append(f.Cases, vectors.Case{ID: "sigv4/rt/c" + strconv.Itoa(i), Title: "t", Kind: vectors.Sign,
			Source: vectors.Generated, Credentials: sigconform.Credentials{SecretKey: "k"},
			Request:  sigconform.Request{Method: "GET", URL: "https://h/"},
			Expected: vectors.Outcome{Stages: vectors.Stages{{Name: StageCanonicalRequest, Value: v}}, Signature: "s"}})
	}
	out, err := vectors.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := vectors.Parse("rt.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range back.Cases {
		if got, _ := c.Expected.Stages.Get(StageCanonicalRequest); got != values[i] {
			t.Errorf("value %d: got %q, want %q", i, got, values[i])
		}
	}
}

// TestOmitSessionToken: Context.OmitSessionToken sends the token unsigned,
// as aws-c-auth's omit_session_token does. The signatures are the suite's
// post-sts-header-after header-signature.txt and query-signature.txt
// (awslabs/aws-c-auth@495329c2433034bd8fd53fc6ba9e0202d3fac876), which
// equal post-vanilla's: the token changes nothing that is signed.
func TestOmitSessionToken(t *testing.T) {
	const token = "tok/en+=="
	for _, tc := range []struct {
		presign int
		sig     string
	}{
		{0, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
		{3600, "2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b"},
	} {
		in := vanilla
		in.Request = sigconform.Request{Method: "POST", URL: "https://example.amazonaws.com/",
			Headers: []sigconform.Header{{Name: "Host", Value: "example.amazonaws.com"}}}
		in.Credentials.SessionToken = token
		in.Context.OmitSessionToken = true
		in.Context.PresignExpires = tc.presign
		res, err := Scheme.Sign(in, "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Signature != tc.sig {
			t.Errorf("presign=%d: signature %s, want %s", tc.presign, res.Signature, tc.sig)
		}
		got := in
		got.Request = res.Apply(in.Request)
		sent := got.Request.URL + "\n" + headerText(got.Request.Headers)
		if !strings.Contains(sent, "tok%2Fen%2B%3D%3D&X-Amz-Signature=") && !strings.Contains(sent, "X-Amz-Security-Token: "+token) {
			t.Errorf("presign=%d: token not sent as aws-c-auth sends it: %s", tc.presign, sent)
		}
		if strings.Contains(sent, "x-amz-security-token") {
			t.Errorf("presign=%d: token signed: %s", tc.presign, sent)
		}
		if v := Scheme.Verify(got, ""); !v.Accept {
			t.Errorf("presign=%d: not verified with the flag: %s %s", tc.presign, v.Reason, v.Detail)
		}
		if tc.presign > 0 {
			// Without the flag the verifier signs the token it finds in
			// the query, so the URL fails.
			off := got
			off.Context.OmitSessionToken = false
			if v := Scheme.Verify(off, ""); v.Accept || v.Reason != sigconform.BadSignature {
				t.Errorf("presign=%d: verified without the flag: %+v", tc.presign, v)
			}
		}
	}
}
