package main

import (
	"strings"
	"testing"

	"github.com/sigconform/sigconform/implementations/go/internal/vectest"
	_ "github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/suites"
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
	// the query, which the reference verifier accepts as sent.
	vectest.Want(t, got, suites.Pass, "", python)
	vectest.Want(t, got, suites.Skip, "", verifyID)

	// The SDK always adds response=json before signing (newRawRequest): a
	// request without it is one the SDK cannot send.
	vectest.Want(t, got, suites.Skip, "", deploy)
	if r := got[deploy]; !strings.Contains(r.Error, "response=json") {
		t.Errorf("%s: want unsupported naming response=json, got %+v", deploy, r)
	}
}
