package zstack_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/generators"
	"github.com/sigconform/sigconform/scheme/schemetest"
	"github.com/sigconform/sigconform/scheme/zstack"
)

var _ sigconform.Explainer = zstack.Scheme

// TestExplainIdentifiesVariants signs each case with the reference and with
// every signing variant, and checks that Explain finds the signature the
// request carries, that the variant's explanation recomputes it (stages
// included), and that the reference's explanation recomputes the
// reference's signature.
func TestExplainIdentifiesVariants(t *testing.T) {
	names := []string{""}
	for _, v := range zstack.Scheme.Variants() {
		if v.Signs {
			names = append(names, v.Name)
		}
	}
	for _, c := range schemetest.SignCases(t, zstack.Name) {
		in := c.Input()
		ref, err := zstack.Scheme.Sign(in, "")
		if err != nil {
			t.Errorf("%s: Sign: %v", c.ID, err)
			continue
		}
		for _, name := range names {
			res, err := zstack.Scheme.Sign(in, name)
			if err != nil {
				t.Errorf("%s %q: Sign: %v", c.ID, name, err)
				continue
			}
			signed := in
			signed.Request = generators.Signed(in, res)
			// As conform explain calls it: no access key, no clock.
			signed.Credentials.AccessKey = ""
			signed.Context = sigconform.Context{}
			got, err := zstack.Scheme.Explain(signed, "")
			if err != nil {
				t.Errorf("%s %q: Explain: %v", c.ID, name, err)
				continue
			}
			if got.Given != res.Signature {
				t.Errorf("%s %q: Given = %q, the request carries %q", c.ID, name, got.Given, res.Signature)
			}
			if got.Signature != ref.Signature || !cmp.Equal(got.Stages, ref.Stages) {
				t.Errorf("%s %q: reference explanation %+v, reference signs %+v", c.ID, name, got, ref)
			}
			vx, err := zstack.Scheme.Explain(signed, name)
			if err != nil {
				t.Errorf("%s %q: Explain as the variant: %v", c.ID, name, err)
				continue
			}
			if vx.Signature != got.Given || vx.Given != got.Given || !cmp.Equal(vx.Stages, res.Stages) {
				t.Errorf("%s %q: variant explanation %+v, the variant signed %+v", c.ID, name, vx, res)
			}
			// Given == Signature exactly when the reference verifier
			// accepts, the Date check aside.
			check := in
			check.Request = signed.Request
			if check.Context.Time == "" { // a server clock that reads the Date
				date, _ := check.Request.Header("Date")
				if d, err := zstack.ParseDate(date); err == nil {
					check.Context.Time = d.Wall.Format(time.RFC3339)
				}
			}
			if v := zstack.Scheme.Verify(check, ""); v.Reason != sigconform.Expired && v.Accept != (got.Given == got.Signature) {
				t.Errorf("%s %q: Verify %+v, but Given %q, Signature %q", c.ID, name, v, got.Given, got.Signature)
			}
		}
	}
}

// The documentation's example (shared/seeds/001).
const (
	docID     = "vvSZpmj4cnB53qUDmm6E"
	docSecret = "8heumeFTvIeZxkTGfEYvVi9qVVPd9ffQNDALSPPb"
	docDate   = "Fri, 06 Aug 2021 17:58:34 PRC"
	docURL    = "http://172.20.11.134:8080/zstack/v1/vm-instances"
	docSig    = "hPToRHeHdV49D4u20G8OlE0yJho="
)

func signedInput(url, auth string, headers ...sigconform.Header) sigconform.Input {
	hs := append([]sigconform.Header{{Name: "Authorization", Value: auth}, {Name: "Date", Value: docDate}}, headers...)
	return sigconform.Input{
		Scheme:      zstack.Name,
		Credentials: sigconform.Credentials{SecretKey: docSecret},
		Request:     sigconform.Request{Method: "GET", URL: url, Headers: hs},
	}
}

func TestExplain(t *testing.T) {
	// The documented request, explained years after its Date and with no
	// clock: the reference signs it.
	got, err := zstack.Scheme.Explain(signedInput(docURL+"?limit=1", "ZStack "+docID+":"+docSig), "")
	want := sigconform.Explanation{
		Given:     docSig,
		Stages:    []sigconform.Stage{{Name: zstack.StageStringToSign, Value: "GET\n" + docDate + "\n/v1/vm-instances"}},
		Signature: docSig,
	}
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("documented request: %+v, %v; want %+v", got, err, want)
	}
	for _, tc := range []struct{ variant, uri string }{
		{zstack.WithContextPrefix, "/zstack/v1/vm-instances"},
		{zstack.WithQueryString, "/v1/vm-instances?limit=1"},
		{zstack.CheckTimeZone, "/v1/vm-instances"}, // verify-only: the reference's
	} {
		got, err := zstack.Scheme.Explain(signedInput(docURL+"?limit=1", "ZStack "+docID+":"+docSig), tc.variant)
		if sts, _ := (sigconform.Result{Stages: got.Stages}).Stage(zstack.StageStringToSign); err != nil || sts != "GET\n"+docDate+"\n"+tc.uri {
			t.Errorf("%s: %+v, %v; want URI %s", tc.variant, got, err, tc.uri)
		}
	}
	// An unparsable Date is still explained: the server signs it as text.
	in := signedInput(docURL, "ZStack "+docID+":x")
	in.Request.Headers[1].Value = "yesterday"
	if got, err := zstack.Scheme.Explain(in, ""); err != nil || !strings.Contains(got.Stages[0].Value, "\nyesterday\n") {
		t.Errorf("unparsable Date: %+v, %v", got, err)
	}

	for _, tc := range []struct {
		name    string
		in      sigconform.Input
		variant string
	}{
		{"no Authorization", sigconform.Input{Credentials: sigconform.Credentials{SecretKey: docSecret}, Request: sigconform.Request{Method: "GET", URL: docURL, Headers: []sigconform.Header{{Name: "Date", Value: docDate}}}}, ""},
		{"OAuth", signedInput(docURL, "OAuth 1234"), ""},
		{"no signature", signedInput(docURL, "ZStack "+docID), ""},
		{"no Date", sigconform.Input{Credentials: sigconform.Credentials{SecretKey: docSecret}, Request: sigconform.Request{Method: "GET", URL: docURL, Headers: []sigconform.Header{{Name: "Authorization", Value: "ZStack " + docID + ":" + docSig}}}}, ""},
		{"bad URL", signedInput("vm-instances", "ZStack "+docID+":"+docSig), ""},
		{"bad escape", signedInput(docURL+"/%g0", "ZStack "+docID+":"+docSig), ""},
		{"other access key", func() sigconform.Input {
			in := signedInput(docURL, "ZStack "+docID+":"+docSig)
			in.Credentials.AccessKey = "someoneelse"
			return in
		}(), ""},
		{"no secret", func() sigconform.Input {
			in := signedInput(docURL, "ZStack "+docID+":"+docSig)
			in.Credentials.SecretKey = ""
			return in
		}(), ""},
		{"unknown variant", signedInput(docURL, "ZStack "+docID+":"+docSig), "nope"},
	} {
		got, err := zstack.Scheme.Explain(tc.in, tc.variant)
		if err == nil {
			t.Errorf("%s: no error, got %+v", tc.name, got)
			continue
		}
		if strings.Contains(err.Error(), docSecret) {
			t.Errorf("%s: the error holds the secret key", tc.name)
		}
		if tc.variant == "nope" && !errors.Is(err, sigconform.ErrUnknownVariant) {
			t.Errorf("%s: %v does not wrap ErrUnknownVariant", tc.name, err)
		}
	}
}
