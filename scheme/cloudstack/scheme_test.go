package cloudstack_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/scheme/schemetest"
)

func TestVectors(t *testing.T) { schemetest.Run(t, cloudstack.Scheme) }

// The key pair of the developer guide's deployVirtualMachine example; the
// secret is the one published with CloudStack 2.2's API example code.
// Signatures below were computed with openssl (printf ... | openssl dgst
// -sha1 -hmac KEY -binary | base64) over command strings written by hand.
const (
	apiKey = "miVr6X7u6bN_sdahOBpjNejPgEsT35eXq-jB8CG20YI3yaxXcgpyuaIRmFI_EJTVwZ0nUkkJbPmY3y2bciKwFQ"
	secret = "AdpTvsQMZwv9MNvfqDcQhWSL9pHQvq7z13CFP2SU1iToDkkM3d8iZciWEKsGREhMtV9yLVMxmbbJJgrXo8O5jg"
	api    = "http://localhost:8080/client/api?"
	cons   = "http://localhost:8080/client/console?"
	vm     = "b194369f-e0d4-45d8-a50f-09ec51095e68"
)

func input(url, now string) sigconform.Input {
	return sigconform.Input{
		Scheme:      "cloudstack",
		Credentials: sigconform.Credentials{AccessKey: apiKey, SecretKey: secret},
		Request:     sigconform.Request{Method: "GET", URL: url},
		Context:     sigconform.Context{Time: now},
	}
}

func TestVerify(t *testing.T) {
	const (
		deploy = api + "command=deployVirtualMachine&serviceOfferingId=1&diskOfferingId=1&templateId=2&zoneId=4&apiKey=" + apiKey
		// apikey=…&command=listzones&expires=2011-10-10t12%3a00%3a00%2b0530&signatureversion=3
		zones = api + "command=listZones&signatureVersion=3&expires=2011-10-10T12:00:00%2B0530&apiKey=" + apiKey
		// apikey=…&cmd=access&vm=…
		console = cons + "cmd=access&vm=" + vm + "&apikey=" + apiKey
	)
	for _, tc := range []struct {
		name, url, now, variant string
		want                    sigconform.Reason // "" = accepted
	}{
		{"guide URL", deploy + "&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D", "", "", ""},
		{"one bit off", deploy + "&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hV%3D", "", "", sigconform.BadSignature},
		{"URL-safe alphabet, padded", deploy + "&signature=Lxx1DM40AjcXU_caiK8RAP0O1hU%3D", "", "", sigconform.WrongEncoding},
		{"URL-safe alphabet, unpadded", deploy + "&signature=Lxx1DM40AjcXU_caiK8RAP0O1hU", "", "", sigconform.WrongEncoding},
		{"standard, unpadded", deploy + "&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU", "", "", sigconform.WrongEncoding},
		{"encoded twice", deploy + "&signature=Lxx1DM40AjcXU%252FcaiK8RAP0O1hU%253D", "", "", sigconform.WrongEncoding},
		{"signature name in capitals", deploy + "&SIGNATURE=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D", "", "", ""},
		// A 4.0/4.1 server compared URL-safe Base64 in its console servlet
		// only: its /client/api is ApiServer, which compares standard Base64.
		{"4.0/4.1 server's API on a standard signature", deploy + "&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D", "", cloudstack.URLSafeBase64, ""},
		{"4.0/4.1 server's API on a URL-safe signature", deploy + "&signature=Lxx1DM40AjcXU_caiK8RAP0O1hU", "", cloudstack.URLSafeBase64, sigconform.WrongEncoding},
		{"client-side variant leaves the verifier alone", deploy + "&signature=Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D", "", cloudstack.NoLowercase, ""},
		{"unknown variant", deploy + "&signature=x", "", "nope", sigconform.Malformed},
		{"no signature", deploy, "", "", sigconform.MissingParameter},
		{"no apiKey", api + "command=listZones&signature=x", "", "", sigconform.MissingParameter},
		{"no command", api + "apiKey=" + apiKey + "&signature=x", "", "", sigconform.MissingParameter},
		{"other apiKey", api + "command=listZones&apiKey=someoneelse&signature=x", "", "", sigconform.UnknownKey},
		{"bad escape", deploy + "&signature=%zz", "", "", sigconform.Malformed},
		{"v3 in time", zones + "&signature=a%2BH%2F1iMXXQE7xYcgsROAdsVShHk%3D", "2011-10-10T06:00:00Z", "", ""},
		{"v3 at the instant of expiry", zones + "&signature=a%2BH%2F1iMXXQE7xYcgsROAdsVShHk%3D", "2011-10-10T06:30:00Z", "", ""},
		{"v3 expired", zones + "&signature=a%2BH%2F1iMXXQE7xYcgsROAdsVShHk%3D", "2011-10-10T06:30:00.001Z", "", sigconform.Expired},
		{"'+' of the signature sent raw", zones + "&signature=a+H%2F1iMXXQE7xYcgsROAdsVShHk%3D", "2011-10-10T06:00:00Z", "", sigconform.WrongEncoding},
		{"v3 without expires", api + "command=listZones&signatureVersion=3&apiKey=" + apiKey + "&signature=x", "", "", sigconform.MissingParameter},
		{"v3 expiry checked before the key", api + "command=listZones&signatureVersion=3&expires=2000-01-01T00:00:00Z&apiKey=other&signature=x", "2020-01-01T00:00:00Z", "", sigconform.Expired},
		// apikey=…&command=listzones&signatureversion=2: expires is not required
		{"version 2 ignores expiry", api + "command=listZones&signatureVersion=2&apiKey=" + apiKey + "&signature=bCWkbU%2FcCr7nrNF1fZKgA%2B4KJJc%3D", "", "", ""},
		// apikey=…&command=listzones with a=2: utf8Fixup keeps the last a
		{"repeated name: last wins", api + "command=listZones&a=1&a=2&apiKey=" + apiKey + "&signature=d2UW%2FdTrTXVSyc7gU0ScdiCl8pw%3D", "", "", ""},
		{"console", console + "&signature=S77%2FCzmccvEbf4SkEiaD4WUBBmE%3D", "", "", ""},
		{"console 4.0/4.1", console + "&signature=S77_CzmccvEbf4SkEiaD4WUBBmE", "", cloudstack.URLSafeBase64, ""},
		{"console 4.0/4.1 on a standard signature", console + "&signature=S77%2FCzmccvEbf4SkEiaD4WUBBmE%3D", "", cloudstack.URLSafeBase64, sigconform.WrongEncoding},
		// apikey=…&cmd=access&expires=2000-01-01t00%3a00%3a00z&signatureversion=3&vm=…
		{"console ignores expires", console + "&signatureVersion=3&expires=2000-01-01T00:00:00Z&signature=7Z0J3F0Cw0jj5WZuyi1MNPyRf%2B0%3D", "2020-01-01T00:00:00Z", "", ""},
		{"API path does not", api + "cmd=access&vm=" + vm + "&apikey=" + apiKey + "&command=x&signatureVersion=3&expires=2000-01-01T00:00:00Z&signature=x", "2020-01-01T00:00:00Z", "", sigconform.Expired},
		// apikey=…&cmd=access&vm=1: the console takes the first vm
		{"console repeated name: first wins", cons + "cmd=access&vm=1&vm=2&apikey=" + apiKey + "&signature=zyTnRcfUm6rHPoiuqG%2BVz3CXybE%3D", "", "", ""},
	} {
		got := cloudstack.Scheme.Verify(input(tc.url, tc.now), tc.variant)
		if tc.want == "" && !got.Accept || tc.want != "" && (got.Accept || got.Reason != tc.want) {
			t.Errorf("%s: got %+v, want %q", tc.name, got, tc.want)
		}
		if strings.Contains(got.Detail, secret) {
			t.Errorf("%s: detail holds the secret key", tc.name)
		}
	}
}

func TestSign(t *testing.T) {
	in := input(api+"command=listZones", "")
	in.Context.SignatureVersion = "3"
	in.Context.Expires = "2011-10-10T12:00:00+0530"
	res, err := cloudstack.Scheme.Sign(in, "")
	if err != nil {
		t.Fatal(err)
	}
	// The values of the command string in TestVerify's "v3 in time" case.
	want := api + "command=listZones&apiKey=" + apiKey +
		"&signatureVersion=3&expires=2011-10-10T12%3A00%3A00%2B0530&signature=a%2BH%2F1iMXXQE7xYcgsROAdsVShHk%3D"
	if res.URL != want || res.Signature != "a+H/1iMXXQE7xYcgsROAdsVShHk=" || len(res.Headers) != 0 {
		t.Errorf("Sign v3:\n got %+v\nwant URL %s", res, want)
	}
	if v := cloudstack.Scheme.Verify(input(res.URL, "2011-10-10T06:00:00Z"), ""); !v.Accept {
		t.Errorf("signed URL refused: %+v", v)
	}

	for _, tc := range []struct {
		name    string
		mutate  func(*sigconform.Input)
		variant string
	}{
		{"unknown variant", func(*sigconform.Input) {}, "nope"},
		{"empty secret", func(in *sigconform.Input) { in.Credentials.SecretKey = "" }, ""},
		{"already signed", func(in *sigconform.Input) { in.Request.URL += "&Signature=x" }, ""},
		{"version 2", func(in *sigconform.Input) { in.Context.SignatureVersion = "2" }, ""},
		{"v3 without expires", func(in *sigconform.Input) { in.Context.SignatureVersion = "3" }, ""},
		{"expires without v3", func(in *sigconform.Input) { in.Context.Expires = "2011-10-10T12:00:00Z" }, ""},
		{"no key to add", func(in *sigconform.Input) { in.Credentials.AccessKey = "" }, ""},
		{"fragment", func(in *sigconform.Input) { in.Request.URL += "#x" }, ""},
		{"bad escape", func(in *sigconform.Input) { in.Request.URL += "&a=%G0" }, ""},
	} {
		in := input(api+"command=listZones", "")
		tc.mutate(&in)
		if res, err := cloudstack.Scheme.Sign(in, tc.variant); err == nil {
			t.Errorf("%s: no error, got %+v", tc.name, res)
		}
	}
	if _, err := cloudstack.Scheme.Sign(input(api+"command=listZones", ""), "nope"); !errors.Is(err, sigconform.ErrUnknownVariant) {
		t.Errorf("unknown variant: %v does not wrap ErrUnknownVariant", err)
	}
}

func TestSignURLShapes(t *testing.T) {
	// Where the signer puts apiKey and the signature; the signature's value
	// is checked by the vectors and by TestSign's round trip.
	const sig = "&signature="
	for _, tc := range []struct{ url, prefix string }{
		{"http://h/client/api", "http://h/client/api?apiKey=" + apiKey + sig},
		{"http://h/client/api?", "http://h/client/api?apiKey=" + apiKey + sig},
		{"http://h/client/api?command=x&", "http://h/client/api?command=x&apiKey=" + apiKey + sig},
		{"http://h/client/api?command=x&APIKEY=" + apiKey, "http://h/client/api?command=x&APIKEY=" + apiKey + sig},
	} {
		res, err := cloudstack.Scheme.Sign(input(tc.url, ""), "")
		if err != nil || !strings.HasPrefix(res.URL, tc.prefix) {
			t.Errorf("Sign(%q) = %q, %v; want prefix %q", tc.url, res.URL, err, tc.prefix)
		}
	}
}

func TestSchemeDescription(t *testing.T) {
	s := cloudstack.Scheme
	if s.Name() != "cloudstack" || len(s.Stages()) != 1 || s.Stages()[0] != cloudstack.StageCommandString {
		t.Errorf("name %q, stages %v", s.Name(), s.Stages())
	}
	for _, v := range s.Variants() {
		if v.Summary == "" || len(v.Refs) == 0 || !v.Signs && !v.Verifies {
			t.Errorf("variant %q is incompletely described", v.Name)
		}
		if _, err := cloudstack.CommandStringVariant(cloudstack.Params{}, v.Name); err != nil {
			t.Errorf("variant %q: %v", v.Name, err)
		}
	}
}

// TestVariantOrder: diagnosis names the first variant whose signature
// matches, so a variant must come before every broader one that coincides
// with it on some input.
func TestVariantOrder(t *testing.T) {
	pos := map[string]int{}
	for i, v := range cloudstack.Scheme.Variants() {
		pos[v.Name] = i
	}
	for _, p := range [][2]string{ // narrower, broader
		{cloudstack.TildeUnencoded, cloudstack.RFC3986Unreserved},
		{cloudstack.TildeUnencoded, cloudstack.UnencodedValues},
		{cloudstack.StarEncoded, cloudstack.RFC3986Unreserved},
		{cloudstack.BracketsUnencoded, cloudstack.UnencodedValues},
		{cloudstack.PlusForSpace, cloudstack.UnencodedValues},
		{cloudstack.CodepointOrder, cloudstack.Libcloud},
		{cloudstack.LowercaseThenSort, cloudstack.Libcloud},
		{cloudstack.NamesEncoded, cloudstack.Csclient},
		{cloudstack.PairsSorted, cloudstack.Csclient},
		{cloudstack.Csclient, cloudstack.UnencodedValues},
		{cloudstack.Libcloud, cloudstack.UnencodedValues},
	} {
		if pos[p[0]] >= pos[p[1]] {
			t.Errorf("%s comes after %s", p[0], p[1])
		}
	}
	// On a value whose only special character is '~' they all agree.
	in := input(api+"command=listVirtualMachines&name=a~b", "")
	want, _ := cloudstack.Scheme.Sign(in, cloudstack.TildeUnencoded)
	for _, v := range []string{cloudstack.RFC3986Unreserved, cloudstack.UnencodedValues} {
		if got, _ := cloudstack.Scheme.Sign(in, v); got.Signature != want.Signature {
			t.Errorf("%s signs name=a~b otherwise than tilde-unencoded", v)
		}
	}
}
