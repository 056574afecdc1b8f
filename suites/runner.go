package suites

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/vectors"
)

// Filter selects cases. An empty field selects everything.
type Filter struct {
	Schemes []string       // case scheme is one of these
	Tags    []string       // case has at least one of these tags
	Kinds   []vectors.Kind // sign, verify
	IDs     *regexp.Regexp // matched against the case id
}

// Match reports whether c passes the filter.
func (f Filter) Match(c *vectors.Case) bool {
	if len(f.Schemes) > 0 && !slices.Contains(f.Schemes, c.Scheme()) {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, c.Kind) {
		return false
	}
	if len(f.Tags) > 0 && !slices.ContainsFunc(f.Tags, func(t string) bool { return slices.Contains(c.Tags, t) }) {
		return false
	}
	return f.IDs == nil || f.IDs.MatchString(c.ID)
}

// Select returns the cases of set that f matches, in order.
func (f Filter) Select(set *vectors.Set) []*vectors.Case {
	var out []*vectors.Case
	for _, c := range set.Cases() {
		if f.Match(c) {
			out = append(out, c)
		}
	}
	return out
}

// DefaultTimeout bounds one call to the implementation under test.
const DefaultTimeout = 5 * time.Second

// Runner runs cases against an implementation and diagnoses each divergence.
type Runner struct {
	// Signer runs the sign cases and Verifier the verify cases. A case
	// whose kind has no implementation is reported as skipped, with the
	// reason.
	Signer   Signer
	Verifier Verifier
	// Timeout bounds each call; DefaultTimeout when zero.
	Timeout time.Duration
}

// Run runs every case and returns the report. It never panics because the
// implementation did, and returns once every call has ended or timed out.
func (r *Runner) Run(ctx context.Context, cases []*vectors.Case) *Report {
	rep := &Report{}
	for _, c := range cases {
		if ctx.Err() != nil {
			break
		}
		rep.Cases = append(rep.Cases, r.runCase(ctx, c))
	}
	return rep
}

func (r *Runner) runCase(ctx context.Context, c *vectors.Case) CaseResult {
	res := CaseResult{
		ID: c.ID, Scheme: c.Scheme(), Kind: c.Kind, Source: c.Source, Tags: c.Tags,
		Pos: c.Pos(), Tamper: c.Tamper, Disputed: c.Disputed,
	}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	switch c.Kind {
	case vectors.Sign:
		if r.Signer == nil {
			res.Status, res.Error = Skip, "no signer under test"
			return res
		}
		out, err := call(ctx, timeout, func(ctx context.Context) (sigconform.Result, error) {
			return r.Signer.Sign(ctx, c.Input())
		})
		if classify(&res, err) {
			diagnoseSign(&res, c, out)
		}
	case vectors.Verify:
		if r.Verifier == nil {
			res.Status, res.Error = Skip, "no verifier under test"
			return res
		}
		v, err := call(ctx, timeout, func(ctx context.Context) (sigconform.Verdict, error) {
			return r.Verifier.Verify(ctx, c.Input())
		})
		if classify(&res, err) {
			diagnoseVerify(&res, c, v)
		}
	}
	return res
}

// classify records a failed call: unsupported is a skip, anything else means
// the implementation broke. It reports whether the call succeeded.
func classify(res *CaseResult, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, ErrUnsupported):
		res.Status, res.Error = Skip, err.Error()
	default:
		res.Status, res.Error = Broken, err.Error()
	}
	return false
}

// errPanic wraps a panic of the implementation under test.
type errPanic struct{ v any }

func (e errPanic) Error() string { return fmt.Sprintf("implementation panicked: %v", e.v) }

// call runs f with a deadline, turning a panic into an error, and returns at
// the deadline even if f does not: an in-process implementation that hangs is
// abandoned, not waited for.
func call[T any](ctx context.Context, timeout time.Duration, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = errPanic{p}
			}
			done <- r
		}()
		r.v, r.err = f(ctx)
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("no answer within %v", timeout)
	}
}
