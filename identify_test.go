package sigconform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/sigv4"
)

// postQuery is a header-signed POST with a URL query: the request
// post-query-ignored signs differently from the reference.
var postQuery = sigconform.Input{
	Scheme:      "sigv4",
	Credentials: sigconform.Credentials{AccessKey: "AKIDEXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
	Request: sigconform.Request{Method: "POST", URL: "https://example.amazonaws.com/?Param1=value1",
		Headers: []sigconform.Header{{Name: "Host", Value: "example.amazonaws.com"}, {Name: "X-Amz-Date", Value: "20150830T123600Z"}}},
	Context: sigconform.Context{Time: "2015-08-30T12:36:00Z", Region: "us-east-1", Service: "service"},
}

// get is the same request as a GET, which post-query-ignored signs as the
// reference does.
func get() sigconform.Input {
	in := postQuery
	in.Request.Method = "GET"
	return in
}

func sign(t *testing.T, in sigconform.Input, variant string) sigconform.Result {
	t.Helper()
	res, err := sigv4.Scheme.Sign(in, variant)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIdentifySignNamesTheVariant(t *testing.T) {
	got := sign(t, postQuery, sigv4.PostQueryIgnored)
	id, err := sigconform.IdentifySign(sigv4.Scheme, postQuery, got)
	if err != nil {
		t.Fatal(err)
	}
	if id.Right() || !slices.Contains(id.Names(), sigv4.PostQueryIgnored) {
		t.Fatalf("right %v, variants %v; want %s among them", id.Right(), id.Names(), sigv4.PostQueryIgnored)
	}
	if id.Stage != sigv4.StageCanonicalRequest {
		t.Errorf("stage %q, want %s", id.Stage, sigv4.StageCanonicalRequest)
	}
	// A signer that reports no stages departs where the variant does.
	got.Stages = nil
	if id, _ := sigconform.IdentifySign(sigv4.Scheme, postQuery, got); id.Stage != sigv4.StageCanonicalRequest {
		t.Errorf("without stages: stage %q, want %s", id.Stage, sigv4.StageCanonicalRequest)
	}
}

// TestIdentifySignNoVariant: an output that no variant produces names none,
// however many variants also fail the input, and says the signature
// departs.
func TestIdentifySignNoVariant(t *testing.T) {
	got := sign(t, postQuery, "")
	got.Signature = "0000000000000000000000000000000000000000000000000000000000000000"
	got.Stages = nil
	id, err := sigconform.IdentifySign(sigv4.Scheme, postQuery, got)
	if err != nil {
		t.Fatal(err)
	}
	if len(id.Matches) != 0 || id.Stage != "signature" || id.Encoding != "" {
		t.Errorf("variants %v, stage %q, encoding %q; want none, signature, none", id.Names(), id.Stage, id.Encoding)
	}
}

// TestIdentifySignReferenceOutput: a variant that signs an input as the
// reference does is not named for the reference's output.
func TestIdentifySignReferenceOutput(t *testing.T) {
	in := get()
	if !sigconform.SameMAC(sign(t, in, sigv4.PostQueryIgnored).Signature, sign(t, in, "").Signature) {
		t.Fatal("post-query-ignored no longer signs a GET as the reference: pick another input")
	}
	id, err := sigconform.IdentifySign(sigv4.Scheme, in, sign(t, in, sigv4.PostQueryIgnored))
	if err != nil {
		t.Fatal(err)
	}
	if !id.Right() || len(id.Matches) != 0 || id.Stage != "" {
		t.Errorf("right %v, variants %v, stage %q; want right, none, none", id.Right(), id.Names(), id.Stage)
	}
}

func TestIdentifySignEncoding(t *testing.T) {
	got := sign(t, postQuery, "")
	got.Signature = strings.ToUpper(got.Signature)
	id, _ := sigconform.IdentifySign(sigv4.Scheme, postQuery, got)
	if id.Encoding != "the right MAC with the case of its letters changed" {
		t.Errorf("encoding %q", id.Encoding)
	}
}

// signed is in as sent when signed by variant.
func signed(t *testing.T, in sigconform.Input, variant string) sigconform.Input {
	t.Helper()
	in.Request = sign(t, in, variant).Apply(in.Request)
	return in
}

func TestIdentifySigned(t *testing.T) {
	id, err := sigconform.IdentifySigned(sigv4.Scheme, signed(t, postQuery, sigv4.PostQueryIgnored))
	if err != nil {
		t.Fatal(err)
	}
	if id.Right() || !slices.Contains(id.Names(), sigv4.PostQueryIgnored) || id.Stage != sigv4.StageCanonicalRequest {
		t.Errorf("right %v, variants %v, stage %q", id.Right(), id.Names(), id.Stage)
	}
	id, err = sigconform.IdentifySigned(sigv4.Scheme, signed(t, get(), sigv4.PostQueryIgnored))
	if err != nil {
		t.Fatal(err)
	}
	if !id.Right() || len(id.Matches) != 0 {
		t.Errorf("a GET signed by post-query-ignored: right %v, variants %v; want right, none", id.Right(), id.Names())
	}
}

// TestIdentifyVerify: post-query-ignored refuses a valid POST with a query,
// and is named for a verifier that does; it decides about a GET as the
// reference, and is not named for a verifier that refuses one.
func TestIdentifyVerify(t *testing.T) {
	refused := sigconform.Rejected(sigconform.BadSignature, "")
	if vs := sigconform.IdentifyVerify(sigv4.Scheme, signed(t, postQuery, ""), refused); !slices.ContainsFunc(vs, isPostQueryIgnored) {
		t.Errorf("POST with a query refused: variants %v, want %s among them", vs, sigv4.PostQueryIgnored)
	}
	if vs := sigconform.IdentifyVerify(sigv4.Scheme, signed(t, get(), ""), refused); slices.ContainsFunc(vs, isPostQueryIgnored) {
		t.Errorf("GET refused: variants %v, want no %s", vs, sigv4.PostQueryIgnored)
	}
}

func isPostQueryIgnored(v sigconform.Variant) bool { return v.Name == sigv4.PostQueryIgnored }

func TestOtherForm(t *testing.T) {
	for _, tc := range []struct{ want, got, form string }{
		{"q80+", "q81+", ""},
		{"abcd", "ABCD", "the right MAC with the case of its letters changed"},
		{"ab+/", "ab-_", "the right MAC, written as URL-safe Base64"},
		{"abc=", "abc", "the right MAC, written as standard Base64 without padding"},
		{"6162", "YWI=", "the right MAC, written as standard Base64"},
		{"abcd", "abcd", ""},
	} {
		if got := sigconform.OtherForm(tc.want, tc.got); got != tc.form {
			t.Errorf("OtherForm(%q, %q) = %q, want %q", tc.want, tc.got, got, tc.form)
		}
	}
}
