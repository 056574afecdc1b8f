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

	// Expect lists the known divergences for TestSigner and TestVerifier
	// (ReadExpectations reads the file conform run -write-expect writes).
	// It selects nothing: Match and Select ignore it.
	Expect *Expectations
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

// Runner runs cases against an implementation and diagnoses each
// divergence. A Runner runs one case at a time; it is not for concurrent use.
type Runner struct {
	// Signer runs the sign cases and Verifier the verify cases. A case
	// whose kind has no implementation is reported as skipped, with the
	// reason.
	Signer   Signer
	Verifier Verifier
	// Timeout bounds each call; DefaultTimeout when zero.
	Timeout time.Duration
	// MaxBroken, when positive, stops calling the implementation after
	// that many broken cases: the rest are reported broken without a call,
	// so a dead adapter does not cost a timeout per case.
	MaxBroken int
	// Progress, when not nil, is called after each case with the number
	// of cases done and the number Run was given, for a progress display.
	// It is called on the goroutine that called Run, one call at a time,
	// never from the goroutine that calls the implementation: a hung
	// implementation must not stop the count, nor a slow display the
	// implementation.
	Progress func(done, total int)

	w *worker
}

// Run runs every case and returns the report. It never panics because the
// implementation did, and returns once every call has ended or timed out.
func (r *Runner) Run(ctx context.Context, cases []*vectors.Case) *Report {
	rep := &Report{Cases: make([]CaseResult, 0, len(cases)), Started: time.Now()}
	defer func() { rep.Elapsed = time.Since(rep.Started) }()
	r.lookahead(cases)
	broken := 0
	for _, c := range cases {
		if ctx.Err() != nil {
			break
		}
		var res CaseResult
		if r.MaxBroken > 0 && broken >= r.MaxBroken {
			res = newResult(c)
			res.Status, res.Error = Broken, fmt.Sprintf("%s %d broken cases", notRun, broken)
		} else {
			res = r.runCase(ctx, c)
			if res.Status == Broken {
				broken++
			}
		}
		rep.Cases = append(rep.Cases, res)
		if r.Progress != nil {
			r.Progress(len(rep.Cases), len(cases))
		}
	}
	return rep
}

// Lookahead is implemented by an implementation that can start on cases
// before it is asked for them (an adapter keeping several requests in
// flight). Run tells it, before the first call, which cases it will be
// asked for and in which order; each call still has its own deadline, from
// when it is asked.
type Lookahead interface {
	Lookahead(cases []*vectors.Case)
}

// lookahead tells the Signer and Verifier that implement Lookahead the
// cases each will be asked for.
func (r *Runner) lookahead(cases []*vectors.Case) {
	same := sameImpl(r.Signer, r.Verifier)
	for _, x := range []struct {
		impl any
		kind vectors.Kind
	}{{r.Signer, vectors.Sign}, {r.Verifier, vectors.Verify}} {
		la, ok := x.impl.(Lookahead)
		if !ok || (same && x.kind == vectors.Verify) {
			continue
		}
		var mine []*vectors.Case
		for _, c := range cases {
			if same || c.Kind == x.kind {
				mine = append(mine, c)
			}
		}
		la.Lookahead(mine)
	}
}

// sameImpl reports whether s and v are the same value (false for values
// that cannot be compared).
func sameImpl(s Signer, v Verifier) (same bool) {
	defer func() { _ = recover() }()
	return s != nil && v != nil && any(s) == any(v)
}

func (r *Runner) runCase(ctx context.Context, c *vectors.Case) (res CaseResult) {
	res = newResult(c)
	start := time.Now()
	// res is the named result, so that the time is set on what is
	// returned, after the last return statement ran.
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
		out, err := call(r, ctx, timeout, startAllowance(r.Signer), func(ctx context.Context) (sigconform.Result, error) {
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
		v, err := call(r, ctx, timeout, startAllowance(r.Verifier), func(ctx context.Context) (sigconform.Verdict, error) {
			return r.Verifier.Verify(ctx, c.Input())
		})
		if classify(&res, err) {
			diagnoseVerify(&res, c, v)
		}
	}
	return res
}

// startAllowance is how long past its deadline a call to impl may run while
// impl starts up.
func startAllowance(impl any) time.Duration {
	if s, ok := impl.(Starter); ok {
		return s.StartAllowance()
	}
	return 0
}

// notRun starts the error of a case not tried after MaxBroken.
const notRun = "not run after"

func newResult(c *vectors.Case) CaseResult {
	return CaseResult{
		ID: c.ID, Scheme: c.Scheme(), Kind: c.Kind, Source: c.Source, Tags: c.Tags,
		Pos: c.Pos(), Tamper: c.Tamper, Disputed: c.Disputed,
		Expected: ExpectedString(c),
	}
}

// ExpectedString is the case's expected signature or verdict, as reports
// record it.
func ExpectedString(c *vectors.Case) string {
	if c.Kind == vectors.Sign {
		return c.Expected.Signature
	}
	if c.Expected.Verdict == vectors.Reject {
		return "reject (" + string(c.Expected.Reason) + ")"
	}
	return string(c.Expected.Verdict)
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

// grace is how long past its deadline an implementation may take to return
// its own error (an adapter saying what it was waiting for) before it is
// abandoned. An adapter returns at its deadline, so on an idle machine
// grace is never waited out; it is a second, not 100 ms, because on a busy
// one the adapter's own error (which names the start-up allowance, or what
// it was waiting for) lost to the runner's plainer one
// (run_broken_adapters.txtar failed so). Only an implementation that hangs
// in-process pays it, once per case until -max-broken.
const grace = time.Second

// worker runs the calls to the implementation under test, one at a time, on
// a goroutine of its own, so that the runner can stop waiting for a call
// that hangs. It is kept from case to case: a fresh goroutine per call would
// grow its stack anew every time, which costs more than a signature.
type worker struct{ jobs chan func() }

func newWorker() *worker {
	w := &worker{jobs: make(chan func())}
	go func() {
		for job := range w.jobs {
			job()
		}
	}()
	return w
}

// call runs f on the runner's worker with a deadline, turning a panic into
// an error, and returns soon after the deadline (and the implementation's
// start-up allowance) even if f does not: a worker stuck in an
// implementation that hangs is abandoned, not waited for, and the next call
// gets a new one.
func call[T any](r *Runner, ctx context.Context, timeout, startAllowance time.Duration, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	if r.w == nil {
		r.w = newWorker()
	}
	r.w.jobs <- func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res.err = errPanic{p}
			}
			done <- res
		}()
		res.v, res.err = f(ctx)
	}
	select {
	case res := <-done:
		return res.v, res.err
	case <-ctx.Done():
	}
	t := time.NewTimer(grace + startAllowance)
	defer t.Stop()
	select {
	case res := <-done:
		return res.v, res.err
	case <-t.C:
		close(r.w.jobs) // the worker exits if the call ever returns
		r.w = nil
		var zero T
		if startAllowance > 0 {
			return zero, fmt.Errorf("no answer within %v, start-up allowance included", timeout+startAllowance)
		}
		return zero, fmt.Errorf("no answer within %v", timeout)
	}
}
