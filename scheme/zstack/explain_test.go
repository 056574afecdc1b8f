package zstack_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform"
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
	schemetest.Explain(t, zstack.Scheme, func(req sigconform.Request) string {
		// A server clock that reads the Date the request was sent with.
		date, _ := req.Header("Date")
		if d, err := zstack.ParseDate(date); err == nil {
			return d.Wall.Format(time.RFC3339)
		}
		return ""
	})
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
		AccessKey: docID,
		Clock:     "2021-08-06T17:58:34Z", // the Date's wall clock, as the verifier reads it
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
