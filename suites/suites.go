// Package suites runs sigconform's vectors against a signer or verifier and
// says where it diverges.
//
// An implementation is tested by calling one function, as testing/fstest
// tests a file system:
//
//	func TestMySigner(t *testing.T) {
//		suites.TestSigner(t, mySigner{}, suites.Filter{})
//	}
//
// An implementation with known divergences lists them in a file, and the
// test fails only when they change:
//
//	expect, err := suites.ReadExpectations("testdata/sigconform.expect")
//	if err != nil {
//		t.Fatal(err)
//	}
//	suites.TestSigner(t, mySigner{}, suites.Filter{Expect: expect})
//
// For a report instead of a test, build a Runner and call Run.
package suites

import (
	"context"
	"errors"
	"time"

	"github.com/sigconform/sigconform"
)

// Signer is an implementation under test that signs requests.
//
// It may return sigconform.Result.Stages with its intermediate strings
// (named as the scheme's reference names them); the report then says at which
// stage it diverged. Returning ErrUnsupported skips the case.
type Signer interface {
	Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error)
}

// Verifier is an implementation under test that checks signed requests.
// Returning ErrUnsupported skips the case.
type Verifier interface {
	Verify(ctx context.Context, in sigconform.Input) (sigconform.Verdict, error)
}

// Starter is a Signer or Verifier that may have to start up during a call:
// an adapter process, on its first call and after a restart. Start-up is
// not the case's time, so such a call may run up to StartAllowance past its
// deadline, and the runner waits that much longer for it before giving up.
type Starter interface {
	StartAllowance() time.Duration
}

// ErrUnsupported is returned by a Signer or Verifier for a case it does not
// implement (a scheme, signature version or feature). The report counts the
// case as skipped, not failed.
var ErrUnsupported = errors.New("unsupported")

// SignerFunc adapts a function to Signer.
type SignerFunc func(ctx context.Context, in sigconform.Input) (sigconform.Result, error)

// Sign calls f.
func (f SignerFunc) Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	return f(ctx, in)
}

// VerifierFunc adapts a function to Verifier.
type VerifierFunc func(ctx context.Context, in sigconform.Input) (sigconform.Verdict, error)

// Verify calls f.
func (f VerifierFunc) Verify(ctx context.Context, in sigconform.Input) (sigconform.Verdict, error) {
	return f(ctx, in)
}
