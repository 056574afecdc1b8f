package suites

import (
	"context"
	"fmt"
	"strings"

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
		if name, ok := variantOf(s, v); ok {
			return s, name, nil
		}
	}
	return s, "", nil
}

// variantOf finds v among the variants of s: a plain name, or one
// qualified by its scheme as conform variants and the error of
// CheckVariants write it ("cloudstack:plus-for-space").
func variantOf(s sigconform.Scheme, v string) (string, bool) {
	if sch, name, ok := strings.Cut(v, ":"); ok {
		if sch != s.Name() {
			return "", false
		}
		v = name
	}
	_, ok := sigconform.LookupVariant(s, v)
	return v, ok
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

// CheckVariants returns an error naming the known variants when a name in
// variants is not a variant of any of the named schemes (of every scheme,
// when schemes is empty). A misspelt variant would otherwise make the
// reference behave as the reference, and a run meant to show a divergence
// would pass.
func CheckVariants(variants, schemes []string) error {
	var in []sigconform.Scheme
	if len(schemes) == 0 {
		in = scheme.All()
	}
	for _, name := range schemes {
		if s, ok := scheme.Lookup(name); ok {
			in = append(in, s)
		}
	}
	for _, v := range variants {
		found := false
		for _, s := range in {
			if _, ok := variantOf(s, v); ok {
				found = true
				break
			}
		}
		if found {
			continue
		}
		var known []string
		for _, s := range in {
			for _, kv := range s.Variants() {
				known = append(known, s.Name()+":"+kv.Name)
			}
		}
		where := "any scheme"
		if len(schemes) > 0 {
			where = "scheme " + strings.Join(schemes, ", ")
		}
		return fmt.Errorf("unknown variant %q for %s; the known variants are: %s (conform variants describes them)", v, where, strings.Join(known, ", "))
	}
	return nil
}
