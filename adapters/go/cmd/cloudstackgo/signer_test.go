package main

import (
	"strings"
	"testing"

	"github.com/sigconform/sigconform/adapters/go/internal/vectest"
	"github.com/sigconform/sigconform/scheme"
	_ "github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

func TestPublished(t *testing.T) {
	s, err := newSigner()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const (
		php      = "cloudstack/published/php-client-listvirtualmachines" // has response=json
		python   = "cloudstack/published/devguide-python-listusers"      // has response=json, apikey spelt lower-case
		deploy   = "cloudstack/published/devguide-deployvirtualmachine"  // no response=json
		verifyID = "cloudstack/published/devguide-expiration-sample"
	)
	got := vectest.Run(t, s, php, python, deploy, verifyID)
	vectest.Want(t, got, suites.Pass, "", php)
	// Right signature; the SDK writes its own apiKey parameter and sorts
	// the query.
	vectest.Want(t, got, suites.Fail, "url", python)
	vectest.Want(t, got, suites.Skip, "", verifyID)

	// The SDK always adds response=json before signing (newRawRequest):
	// its signature is the reference's for the request with that
	// parameter added.
	vectest.Want(t, got, suites.Fail, "signature", deploy)
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range set.Cases() {
		if c.ID != deploy {
			continue
		}
		in := c.Input()
		if strings.Contains(in.Request.URL, "response=") {
			t.Fatalf("%s already has a response parameter", deploy)
		}
		in.Request.URL += "&response=json"
		ref, _ := scheme.Lookup("cloudstack")
		want, err := ref.Sign(in, "")
		if err != nil {
			t.Fatal(err)
		}
		if g := got[deploy].Got; g == nil || g.Signature != want.Signature {
			t.Errorf("%s: cloudstack-go signed %+v, want the reference's signature with response=json added, %s", deploy, g, want.Signature)
		}
	}
}
