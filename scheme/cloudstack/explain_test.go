package cloudstack_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/scheme/schemetest"
)

var _ sigconform.Explainer = cloudstack.Scheme

// TestExplainIdentifiesVariants signs each case with the reference and with
// every signing variant, and checks that Explain finds the signature the
// request carries, that the variant's explanation recomputes it (stages
// included), and that the reference's explanation recomputes the
// reference's signature.
func TestExplainIdentifiesVariants(t *testing.T) {
	schemetest.Explain(t, cloudstack.Scheme, nil)
}

// TestLoweredTiesInSignAndExplain: Sign and Explain give the variants that
// lowercase before sorting the request's order for names equal once
// lowercased, so Foo=1&foo=2 and foo=2&Foo=1 sign differently (the server
// signs both alike: Foo sorts before foo).
func TestLoweredTiesInSignAndExplain(t *testing.T) {
	key := "apikey=" + strings.ToLower(apiKey) + "&command=c&"
	for _, tc := range []struct{ query, variant, want string }{
		{"command=c&Foo=1&foo=2", cloudstack.Libcloud, key + "foo=1&foo=2"},
		{"command=c&foo=2&Foo=1", cloudstack.Libcloud, key + "foo=2&foo=1"},
		{"command=c&foo=2&Foo=1", cloudstack.LowercaseThenSort, key + "foo=2&foo=1"},
		{"command=c&foo=2&Foo=1", "", "foo=1&" + key + "foo=2"},
	} {
		in := input(api+tc.query, "")
		res, err := cloudstack.Scheme.Sign(in, tc.variant)
		if err != nil || len(res.Stages) != 1 || res.Stages[0].Value != tc.want {
			t.Errorf("Sign %q (%q): %+v, %v; want %q", tc.query, tc.variant, res.Stages, err, tc.want)
			continue
		}
		in.Request.URL = res.URL
		got, err := cloudstack.Scheme.Explain(in, tc.variant)
		if err != nil || got.Given != res.Signature || got.Signature != res.Signature || !cmp.Equal(got.Stages, res.Stages) {
			t.Errorf("Explain %q (%q): %+v, %v; signed %+v", res.URL, tc.variant, got, err, res)
		}
	}
}

func TestExplain(t *testing.T) {
	ex := cloudstack.Scheme
	const guide = api + "command=deployVirtualMachine&serviceOfferingId=1&diskOfferingId=1&templateId=2&zoneId=4&apiKey=" + apiKey
	got, err := ex.Explain(input(guide+"&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D", ""), "")
	want := sigconform.Explanation{
		Given: "Lxx1DM40AjcXU/caiK8RAP0O1hU=",
		Stages: []sigconform.Stage{{Name: cloudstack.StageCommandString, Value: "apikey=" + strings.ToLower(apiKey) +
			"&command=deployvirtualmachine&diskofferingid=1&serviceofferingid=1&templateid=2&zoneid=4"}},
		Signature: "Lxx1DM40AjcXU/caiK8RAP0O1hU=",
		AccessKey: apiKey, // the key the request names; no expires, so no clock
	}
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("guide URL: %+v, %v; want %+v", got, err, want)
	}
	// An expired signatureVersion=3 request is still explained.
	const zones = api + "command=listZones&signatureVersion=3&expires=2011-10-10T12:00:00%2B0530&apiKey=" + apiKey + "&signature=a%2BH%2F1iMXXQE7xYcgsROAdsVShHk%3D"
	if got, err := ex.Explain(input(zones, "2020-01-01T00:00:00Z"), ""); err != nil || got.Given != got.Signature {
		t.Errorf("expired v3: %+v, %v", got, err)
	}
	// The 4.0/4.1 console signature: what urlsafe-base64 writes.
	const console = cons + "cmd=access&vm=" + vm + "&apikey=" + apiKey + "&signature=S77_CzmccvEbf4SkEiaD4WUBBmE"
	ref, err1 := ex.Explain(input(console, ""), "")
	vx, err2 := ex.Explain(input(console, ""), cloudstack.URLSafeBase64)
	if err1 != nil || err2 != nil || ref.Signature != "S77/CzmccvEbf4SkEiaD4WUBBmE=" || vx.Signature != ref.Given || !cmp.Equal(ref.Stages, vx.Stages) {
		t.Errorf("console: %+v %v / %+v %v", ref, err1, vx, err2)
	}

	for _, tc := range []struct {
		name, url, accessKey, secret, variant string
	}{
		{"no signature", guide, apiKey, secret, ""},
		{"no apiKey", api + "command=listZones&signature=x", "", secret, ""},
		{"no command", api + "apiKey=" + apiKey + "&signature=x", "", secret, ""},
		{"bad escape", guide + "&signature=%zz", "", secret, ""},
		{"other access key", guide + "&signature=x", "someoneelse", secret, ""},
		{"no secret", guide + "&signature=x", "", "", ""},
		{"unknown variant", guide + "&signature=x", "", secret, "nope"},
	} {
		in := input(tc.url, "")
		in.Credentials = sigconform.Credentials{AccessKey: tc.accessKey, SecretKey: tc.secret}
		got, err := ex.Explain(in, tc.variant)
		if err == nil {
			t.Errorf("%s: no error, got %+v", tc.name, got)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error holds the secret key", tc.name)
		}
		if tc.variant == "nope" && !errors.Is(err, sigconform.ErrUnknownVariant) {
			t.Errorf("%s: %v does not wrap ErrUnknownVariant", tc.name, err)
		}
	}
}
