package suites_test

import (
	"context"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
)

// mySigner stands for the signer under test: here the reference, so that
// the example compiles and means something.
func mySigner(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	return suites.Reference{}.Sign(ctx, in)
}

// The test a user writes, in a _test.go file of the package that holds the
// signer. The examples below are compiled with the package's tests, so the
// code in the package documentation cannot drift from the API.
func ExampleTestSigner() {
	_ = func(t *testing.T) {
		suites.TestSigner(t, suites.SignerFunc(mySigner), suites.Filter{Schemes: []string{"sigv4"}})
	}
}

// An implementation with known divergences lists them in a file written by
// conform run -write-expect (or from the lines the test's summary prints):
// the test passes while the implementation diverges exactly so.
func ExampleTestSigner_expectations() {
	_ = func(t *testing.T) {
		expect, err := suites.ReadExpectations("testdata/sigconform.expect")
		if err != nil {
			t.Fatal(err)
		}
		suites.TestSigner(t, suites.SignerFunc(mySigner), suites.Filter{Expect: expect})
	}
}
