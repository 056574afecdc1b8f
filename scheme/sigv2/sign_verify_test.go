package sigv2

import (
	"errors"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
)

// The AWS documentation's DescribeJobFlows example (see
// vectors/sigv2/published.yaml): credentials, signed URL and time are all
// printed there; the tampered forms below are edited by hand.
var (
	docCreds = sigconform.Credentials{AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	docQuery = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31"
	docSig   = "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs%3D"
	docTime  = "2011-10-03T15:19:30Z"
)

func docInput(url, now string) sigconform.Input {
	return sigconform.Input{
		Credentials: docCreds,
		Request:     sigconform.Request{Method: "GET", URL: url},
		Context:     sigconform.Context{Time: now},
	}
}

func TestVerifyReasons(t *testing.T) {
	base := "https://elasticmapreduce.amazonaws.com?"
	signed := base + docQuery + "&Signature=" + docSig
	tests := []struct {
		name    string
		in      sigconform.Input
		variant string
		want    sigconform.Reason // "" means accept
	}{
		{"published URL", docInput(signed, docTime), "", ""},
		{"Host header in capitals with default port", func() sigconform.Input {
			in := docInput(signed, docTime)
			in.Request.Headers = []sigconform.Header{{Name: "Host", Value: "ElasticMapReduce.amazonaws.com:443"}}
			return in
		}(), "", ""},
		{"URL with explicit default port", docInput("https://elasticmapreduce.amazonaws.com:443?"+docQuery+"&Signature="+docSig, docTime), "", ""},
		{"non-default port not signed", docInput("https://elasticmapreduce.amazonaws.com:8443?"+docQuery+"&Signature="+docSig, docTime), "", sigconform.BadSignature},
		{"keystone retries without the port", docInput("https://elasticmapreduce.amazonaws.com:8443?"+docQuery+"&Signature="+docSig, docTime), Keystone, ""},
		{"no Signature", docInput(base+docQuery, docTime), "", sigconform.MissingParameter},
		{"no AWSAccessKeyId", docInput(base+strings.Replace(docQuery, "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&", "", 1)+"&Signature="+docSig, docTime), "", sigconform.MissingParameter},
		{"no SignatureMethod", docInput(base+strings.Replace(docQuery, "SignatureMethod=HmacSHA256&", "", 1)+"&Signature="+docSig, docTime), "", sigconform.MissingParameter},
		{"no SignatureVersion", docInput(base+strings.Replace(docQuery, "SignatureVersion=2&", "", 1)+"&Signature="+docSig, docTime), "", sigconform.MissingParameter},
		{"no Timestamp", docInput(base+strings.Replace(docQuery, "Timestamp=2011-10-03T15%3A19%3A30&", "", 1)+"&Signature="+docSig, docTime), "", sigconform.MissingParameter},
		{"HmacMD5", docInput(base+strings.Replace(docQuery, "HmacSHA256", "HmacMD5", 1)+"&Signature="+docSig, docTime), "", sigconform.Malformed},
		{"SignatureVersion 3", docInput(base+strings.Replace(docQuery, "SignatureVersion=2", "SignatureVersion=3", 1)+"&Signature="+docSig, docTime), "", sigconform.Malformed},
		{"Timestamp and Expires", docInput(signed+"&Expires=2011-10-03T15%3A30%3A00Z", docTime), "", sigconform.Malformed},
		{"unreadable Timestamp", docInput(base+strings.Replace(docQuery, "2011-10-03T15%3A19%3A30", "yesterday", 1)+"&Signature="+docSig, docTime), "", sigconform.Malformed},
		{"parameter twice", docInput(signed+"&Action=RunJobFlow", docTime), "", sigconform.Malformed},
		{"bad escape", docInput(signed+"&X=%zz", docTime), "", sigconform.Malformed},
		{"unknown variant", docInput(signed, docTime), "no-such-variant", sigconform.Malformed},
		{"other access key", func() sigconform.Input {
			in := docInput(signed, docTime)
			in.Credentials.AccessKey = "AKIDOTHER"
			return in
		}(), "", sigconform.UnknownKey},
		{"no verifier clock", docInput(signed, ""), "", sigconform.Malformed},
		{"14 minutes later", docInput(signed, "2011-10-03T15:33:30Z"), "", ""},
		{"16 minutes later", docInput(signed, "2011-10-03T15:35:30Z"), "", sigconform.Expired},
		{"16 minutes earlier", docInput(signed, "2011-10-03T15:03:30Z"), "", sigconform.Expired},
		{"keystone: 16 minutes later", docInput(signed, "2011-10-03T15:35:30Z"), Keystone, sigconform.Expired},
		{"keystone: 16 minutes earlier", docInput(signed, "2011-10-03T15:03:30Z"), Keystone, ""},
		// Expires is checked before the signature, so any signature will do.
		{"Expires past", docInput(base+strings.Replace(docQuery, "Timestamp=2011-10-03T15%3A19%3A30", "Expires=2011-10-03T15%3A00%3A00Z", 1)+"&Signature="+docSig, docTime), "", sigconform.Expired},
		{"Expires future, signature over Timestamp", docInput(base+strings.Replace(docQuery, "Timestamp=2011-10-03T15%3A19%3A30", "Expires=2011-10-03T16%3A00%3A00Z", 1)+"&Signature="+docSig, docTime), "", sigconform.BadSignature},
		{"value changed", docInput(base+strings.Replace(docQuery, "2009-03-31", "2009-03-32", 1)+"&Signature="+docSig, docTime), "", sigconform.BadSignature},
		{"one character changed", docInput(base+docQuery+"&Signature=j91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs%3D", docTime), "", sigconform.BadSignature},
		{"URL-safe Base64", docInput(base+docQuery+"&Signature=i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf_Mj6vPxyYIs%3D", docTime), "", sigconform.WrongEncoding},
		{"no padding", docInput(base+docQuery+"&Signature=i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs", docTime), "", sigconform.WrongEncoding},
		// botocore's published GET signature has a '+'; sent without
		// URL-encoding, the server reads it as a space.
		{"plus not URL-encoded", sigconform.Input{
			Credentials: sigconform.Credentials{AccessKey: "foo", SecretKey: "bar"},
			Request: sigconform.Request{Method: "GET", URL: "/?AWSAccessKeyId=foo&Foo=%E2%9C%93&SignatureMethod=HmacSHA256&SignatureVersion=2&" +
				"Timestamp=2014-06-20T08%3A40%3A23Z&Signature=Un97klqZCONP65bA1+Iv4H3AcB2I40I4DBvw5ZERFPw="},
			Context: sigconform.Context{Time: "2014-06-20T08:40:23Z"},
		}, "", sigconform.WrongEncoding},
		{"plus URL-encoded", sigconform.Input{
			Credentials: sigconform.Credentials{AccessKey: "foo", SecretKey: "bar"},
			Request: sigconform.Request{Method: "GET", URL: "/?AWSAccessKeyId=foo&Foo=%E2%9C%93&SignatureMethod=HmacSHA256&SignatureVersion=2&" +
				"Timestamp=2014-06-20T08%3A40%3A23Z&Signature=Un97klqZCONP65bA1%2BIv4H3AcB2I40I4DBvw5ZERFPw%3D"},
			Context: sigconform.Context{Time: "2014-06-20T08:40:23Z"},
		}, "", ""},
		{"POST form body", sigconform.Input{
			Credentials: docCreds,
			Request: sigconform.Request{Method: "POST", URL: "https://elasticmapreduce.amazonaws.com",
				Headers: []sigconform.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded; charset=utf-8"}},
				Body:    docQuery + "&Signature=wseguMzBRgA%2F4%2Ffan8ZwEa0PIF%2Bws4WFbTJcG1ts5RY%3D"},
			Context: sigconform.Context{Time: docTime},
		}, "", ""},
	}
	for _, tt := range tests {
		v := Scheme.Verify(tt.in, tt.variant)
		switch {
		case tt.want == "" && !v.Accept:
			t.Errorf("%s: rejected (%s: %s), want accept", tt.name, v.Reason, v.Detail)
		case tt.want != "" && v.Accept:
			t.Errorf("%s: accepted, want %s", tt.name, tt.want)
		case tt.want != "" && v.Reason != tt.want:
			t.Errorf("%s: %s (%s), want %s", tt.name, v.Reason, v.Detail, tt.want)
		}
		if strings.Contains(v.Detail, tt.in.Credentials.SecretKey) {
			t.Errorf("%s: detail %q holds the secret", tt.name, v.Detail)
		}
	}
}

func stage(t *testing.T, r sigconform.Result) string {
	t.Helper()
	s, ok := r.Stage(StageStringToSign)
	if !ok {
		t.Fatal("no string_to_sign stage")
	}
	return s
}

func TestSignStringToSign(t *testing.T) {
	creds := sigconform.Credentials{AccessKey: "AK", SecretKey: "SK"}
	tests := []struct {
		name    string
		req     sigconform.Request
		ctx     sigconform.Context
		variant string
		want    string
	}{
		{"adds auth parameters and a UTC Timestamp",
			sigconform.Request{Method: "GET", URL: "https://Example.com/?Action=A"},
			sigconform.Context{Time: "2011-10-03T17:19:30+02:00"}, "",
			"GET\nexample.com\n/\nAWSAccessKeyId=AK&Action=A&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30Z"},
		{"keeps Expires, adds no Timestamp; HmacSHA1",
			sigconform.Request{Method: "GET", URL: "http://example.com:8773/services/Cloud?Expires=2011-10-03T16%3A00%3A00Z&Action=A"},
			sigconform.Context{Time: "2011-10-03T15:19:30Z", SignatureMethod: HmacSHA1}, "",
			"GET\nexample.com:8773\n/services/Cloud\nAWSAccessKeyId=AK&Action=A&Expires=2011-10-03T16%3A00%3A00Z&SignatureMethod=HmacSHA1&SignatureVersion=2"},
		{"drops an old Signature, replaces AWSAccessKeyId",
			sigconform.Request{Method: "GET", URL: "https://example.com/?Action=A&Signature=old&AWSAccessKeyId=X&Timestamp=T"},
			sigconform.Context{}, "",
			"GET\nexample.com\n/\nAWSAccessKeyId=AK&Action=A&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		// Case-insensitively "action" < "awsaccesskeyid" ('c' < 'w'),
		// the opposite of version 2's byte order ('W' < 'c').
		{"version 1 sends no SignatureMethod",
			sigconform.Request{Method: "GET", URL: "https://example.com/?Action=A&Timestamp=T"},
			sigconform.Context{SignatureVersion: "1"}, "",
			"ActionAAWSAccessKeyIdAKSignatureVersion1TimestampT"},
		{"host-as-written",
			sigconform.Request{Method: "GET", URL: "https://Example.com:443/?Timestamp=T"},
			sigconform.Context{}, HostAsWritten,
			"GET\nExample.com:443\n/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"host-without-port",
			sigconform.Request{Method: "GET", URL: "https://Example.com:8443/?Timestamp=T"},
			sigconform.Context{}, HostWithoutPort,
			"GET\nexample.com\n/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"reference keeps a non-default port",
			sigconform.Request{Method: "GET", URL: "https://Example.com:8443/?Timestamp=T"},
			sigconform.Context{}, "",
			"GET\nexample.com:8443\n/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"plus-for-space",
			sigconform.Request{Method: "GET", URL: "https://example.com/?A=x+y%7E&Timestamp=T"},
			sigconform.Context{}, PlusForSpace,
			"GET\nexample.com\n/\nA=x+y~&AWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"tilde-encoded",
			sigconform.Request{Method: "GET", URL: "https://example.com/?A=x+y%7E&Timestamp=T"},
			sigconform.Context{}, TildeEncoded,
			"GET\nexample.com\n/\nA=x%20y%7E&AWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"session token",
			sigconform.Request{Method: "POST", URL: "https://example.com", Body: "Timestamp=T"},
			sigconform.Context{}, "",
			"POST\nexample.com\n/\nAWSAccessKeyId=AK&SecurityToken=TOK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"session token: security-token-unsigned",
			sigconform.Request{Method: "POST", URL: "https://example.com", Body: "Timestamp=T"},
			sigconform.Context{}, SecurityTokenUnsigned,
			"POST\nexample.com\n/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		// GET for the POST, no SecurityToken, the host's case kept and
		// its default port dropped.
		{"session token: libcloud",
			sigconform.Request{Method: "POST", URL: "https://EC2.Example.com:443/", Body: "Action=A&Timestamp=T"},
			sigconform.Context{}, Libcloud,
			"GET\nEC2.Example.com\n/\nAWSAccessKeyId=AK&Action=A&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"libcloud keeps another port",
			sigconform.Request{Method: "GET", URL: "http://EC2.Example.com:8773/?Timestamp=T"},
			sigconform.Context{}, Libcloud,
			"GET\nEC2.Example.com:8773\n/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"get-verb on a POST",
			sigconform.Request{Method: "POST", URL: "https://example.com/", Body: "Action=A&Timestamp=T"},
			sigconform.Context{}, GetVerb,
			"GET\nexample.com\n/\nAWSAccessKeyId=AK&Action=A&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"reference: path as sent",
			sigconform.Request{Method: "GET", URL: "https://example.com/my%20service/caf%C3%A9/?Timestamp=T"},
			sigconform.Context{}, "",
			"GET\nexample.com\n/my%20service/caf%C3%A9/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		{"path-decoded",
			sigconform.Request{Method: "GET", URL: "https://example.com/my%20service/caf%C3%A9/?Timestamp=T"},
			sigconform.Context{}, PathDecoded,
			"GET\nexample.com\n/my service/café/\nAWSAccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=T"},
		// foo, Foo, FOO all lowercase to foo: Python's stable sort (and
		// so the reference) keeps them in the order the request lists
		// them, whatever their byte order.
		{"version 1: case ties in request order",
			sigconform.Request{Method: "GET", URL: "https://example.com/?foo=1&Foo=2&FOO=3&Timestamp=T"},
			sigconform.Context{SignatureVersion: "1"}, "",
			"AWSAccessKeyIdAKfoo1Foo2FOO3SignatureVersion1TimestampT"},
		{"version 1: case ties in request order, reversed",
			sigconform.Request{Method: "GET", URL: "https://example.com/?FOO=3&Foo=2&foo=1&Timestamp=T"},
			sigconform.Context{SignatureVersion: "1"}, "",
			"AWSAccessKeyIdAKFOO3Foo2foo1SignatureVersion1TimestampT"},
		// The AWSAccessKeyId the signer adds comes after the request's
		// awsaccesskeyid, which it does not replace (names are exact).
		{"version 1: an added parameter after the request's tie",
			sigconform.Request{Method: "GET", URL: "https://example.com/?awsaccesskeyid=x&Timestamp=T"},
			sigconform.Context{SignatureVersion: "1"}, "",
			"awsaccesskeyidxAWSAccessKeyIdAKSignatureVersion1TimestampT"},
	}
	for _, tt := range tests {
		in := sigconform.Input{Credentials: creds, Request: tt.req, Context: tt.ctx}
		if strings.HasPrefix(tt.name, "session token") {
			in.Credentials.SessionToken = "TOK"
		}
		r, err := Scheme.Sign(in, tt.variant)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := stage(t, r); got != tt.want {
			t.Errorf("%s: string_to_sign\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestSignURL(t *testing.T) {
	// GET: the canonical query then the URL-encoded Signature; the
	// published example shows the form.
	in := docInput("https://elasticmapreduce.amazonaws.com?Action=DescribeJobFlows&Version=2009-03-31&Timestamp=2011-10-03T15%3A19%3A30#frag", docTime)
	r, err := Scheme.Sign(in, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://elasticmapreduce.amazonaws.com?" + docQuery + "&Signature=" + docSig; r.URL != want {
		t.Errorf("URL\n got %s\nwant %s", r.URL, want)
	}
	if len(r.Headers) != 0 {
		t.Errorf("signer set headers %v", r.Headers)
	}
	// POST: the URL is left as it was.
	post := sigconform.Input{Credentials: docCreds, Context: sigconform.Context{Time: docTime},
		Request: sigconform.Request{Method: "POST", URL: "https://example.com/x", Body: "Action=A"}}
	if r, err := Scheme.Sign(post, ""); err != nil || r.URL != "https://example.com/x" {
		t.Errorf("POST URL = %q, %v", r.URL, err)
	}
}

func TestSignErrors(t *testing.T) {
	ok := sigconform.Input{Credentials: docCreds, Context: sigconform.Context{Time: docTime},
		Request: sigconform.Request{Method: "GET", URL: "https://example.com/?Action=A"}}
	if _, err := Scheme.Sign(ok, ""); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	tests := []struct {
		name string
		edit func(*sigconform.Input)
	}{
		{"no method", func(in *sigconform.Input) { in.Request.Method = "" }},
		{"bad URL", func(in *sigconform.Input) { in.Request.URL = "http://[::1" }},
		{"bad escape", func(in *sigconform.Input) { in.Request.URL = "https://example.com/?A=%zz" }},
		{"repeated parameter", func(in *sigconform.Input) { in.Request.URL = "https://example.com/?A=1&A=2" }},
		{"POST with query and body", func(in *sigconform.Input) {
			in.Request = sigconform.Request{Method: "POST", URL: "https://example.com/?A=1", Body: "B=2"}
		}},
		{"no time", func(in *sigconform.Input) { in.Context.Time = "" }},
		{"bad time", func(in *sigconform.Input) { in.Context.Time = "noon" }},
		{"no secret", func(in *sigconform.Input) { in.Credentials.SecretKey = "" }},
		{"version 3", func(in *sigconform.Input) { in.Context.SignatureVersion = "3" }},
		{"HmacMD5", func(in *sigconform.Input) { in.Context.SignatureMethod = "HmacMD5" }},
		{"version 1 with HmacSHA256", func(in *sigconform.Input) {
			in.Context.SignatureVersion, in.Context.SignatureMethod = "1", HmacSHA256
		}},
		{"version 0 without Action", func(in *sigconform.Input) {
			in.Context.SignatureVersion = "0"
			in.Request.URL = "https://example.com/"
		}},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		if _, err := Scheme.Sign(in, ""); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if _, err := Scheme.Sign(ok, "no-such-variant"); !errors.Is(err, sigconform.ErrUnknownVariant) {
		t.Errorf("unknown variant: %v, want ErrUnknownVariant", err)
	}
}

func TestVariantsDocumented(t *testing.T) {
	for _, v := range Scheme.Variants() {
		if v.Summary == "" || len(v.Refs) == 0 || !(v.Signs || v.Verifies) {
			t.Errorf("variant %q lacks summary, refs or Signs/Verifies", v.Name)
		}
	}
}

// TestV1CaseOrder: keystone's Ec2Signer sorts version 1 names stably by
// their lowercased form, so names equal but for case keep the order they
// are received in; so does the reference. The reference's URL writes them
// in the order it signed them, so it verifies, under the reference and
// keystone; the same names and signature in another order do not.
func TestV1CaseOrder(t *testing.T) {
	creds := sigconform.Credentials{AccessKey: "AK", SecretKey: "SK"}
	in := sigconform.Input{Credentials: creds,
		Request: sigconform.Request{Method: "GET", URL: "https://example.com/?foo=1&Foo=2&FOO=3&Timestamp=2011-10-03T15:19:30Z"},
		Context: sigconform.Context{SignatureVersion: "1", Time: "2011-10-03T15:19:30Z"}}
	res, err := Scheme.Sign(in, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stage(t, res), "AWSAccessKeyIdAKfoo1Foo2FOO3SignatureVersion1Timestamp2011-10-03T15:19:30Z"; got != want {
		t.Errorf("string_to_sign %q, want %q", got, want)
	}
	// Byte order puts the foo names at places 2, 3 and 6 (FOO, Foo, foo);
	// they take them in the order signed.
	sig := Encode(res.Signature)
	if want := "https://example.com/?AWSAccessKeyId=AK&foo=1&Foo=2&SignatureVersion=1&Timestamp=2011-10-03T15%3A19%3A30Z&FOO=3&Signature=" + sig; res.URL != want {
		t.Errorf("URL\n got %s\nwant %s", res.URL, want)
	}
	for name, url := range map[string]string{
		"the reference's URL": res.URL,
		// As boto and keystoneclient send it: the parameters in the
		// order given, the signature appended.
		"boto's order": "https://example.com/?foo=1&Foo=2&FOO=3&Timestamp=2011-10-03T15%3A19%3A30Z&AWSAccessKeyId=AK&SignatureVersion=1&Signature=" + sig,
	} {
		sent := in
		sent.Request.URL = url
		for _, variant := range []string{"", Keystone} {
			if v := Scheme.Verify(sent, variant); !v.Accept {
				t.Errorf("%s: verifier %q refuses it: %+v", name, variant, v)
			}
		}
	}
	// The same parameters in byte order: FOO3Foo2foo1 is another string.
	sent := in
	sent.Request.URL = "https://example.com/?AWSAccessKeyId=AK&FOO=3&Foo=2&SignatureVersion=1&Timestamp=2011-10-03T15%3A19%3A30Z&foo=1&Signature=" + sig
	for _, variant := range []string{"", Keystone} {
		if v := Scheme.Verify(sent, variant); v.Accept || v.Reason != sigconform.BadSignature {
			t.Errorf("reordered, verifier %q: %+v, want bad-signature", variant, v)
		}
	}
}
