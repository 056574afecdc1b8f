package suites

import (
	"context"
	"fmt"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
)

// Reference is sigconform's own implementation of every scheme as a Signer
// and Verifier. With variant names, it behaves as those known variants do in
// the schemes that have them and as the reference elsewhere: a stand-in for
// a buggy implementation, to see what a report of one looks like.
type Reference struct {
	Variants []string
}

func (r Reference) lookup(in sigconform.Input) (sigconform.Scheme, string, error) {
	s, ok := scheme.Lookup(in.Scheme)
	if !ok {
		return nil, "", fmt.Errorf("%w: scheme %q", ErrUnsupported, in.Scheme)
	}
	for _, v := range r.Variants {
		if _, ok := sigconform.LookupVariant(s, v); ok {
			return s, v, nil
		}
	}
	return s, "", nil
}

// Sign signs in with the reference scheme.
func (r Reference) Sign(_ context.Context, in sigconform.Input) (sigconform.Result, error) {
	s, v, err := r.lookup(in)
	if err != nil {
		return sigconform.Result{}, err
	}
	return s.Sign(in, v)
}

// Verify verifies in with the reference scheme.
func (r Reference) Verify(_ context.Context, in sigconform.Input) (sigconform.Verdict, error) {
	s, v, err := r.lookup(in)
	if err != nil {
		return sigconform.Verdict{}, err
	}
	return s.Verify(in, v), nil
}
