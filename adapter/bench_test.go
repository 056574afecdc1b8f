package adapter_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// The benchmarks run the test binary itself as the Go reference adapter.
const adapterEnv = "SIGCONFORM_TEST_ADAPTER"

func TestMain(m *testing.M) {
	switch mode := os.Getenv(adapterEnv); mode {
	case "":
		os.Exit(m.Run())
	case "stdio":
		if err := adapter.ServeLines(context.Background(), suites.Reference{}, os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	default:
		misbehave(mode, os.Getenv(culpritEnv))
	}
}

func allCases(b *testing.B) []*vectors.Case {
	set, err := vectors.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	return set.Cases()
}

// signAlone computes every case's signature or verdict with the reference
// scheme directly, n times, and returns how long that took: our own
// signers' cost, which the runners report themselves against too
// (x-sign-alone), beside the floor (x-floor), in the same run.
func signAlone(b *testing.B, cases []*vectors.Case, n int) time.Duration {
	start := time.Now()
	for range n {
		for _, c := range cases {
			s, _ := scheme.Lookup(c.Scheme())
			if c.Kind == vectors.Sign {
				_, _ = s.Sign(c.Input(), "")
			} else {
				_ = s.Verify(c.Input(), "")
			}
		}
	}
	return time.Since(start)
}

// reportFloor reports elapsed, the time of b.N passes over cases, as a
// ratio to the floor's time for as many passes, measured here in the same
// run (x-floor), with how many cases the floor left out (floor-skipped,
// 0 when it covers the corpus; TestFloorCoversCorpus says so).
func reportFloor(b *testing.B, cases []*vectors.Case, elapsed time.Duration) {
	fcs, st := buildFloor(b, cases)
	b.ReportMetric(float64(elapsed)/float64(floorTime(fcs, len(cases), b.N)), "x-floor")
	b.ReportMetric(float64(st.skipped), "floor-skipped")
}

func benchRun(b *testing.B, impl adapter.Impl) {
	cases := allCases(b)
	r := &suites.Runner{Signer: impl, Verifier: impl}
	rep := r.Run(context.Background(), cases) // warm up; also proves the setup
	if t := rep.Total(); t.Pass != t.Cases {
		b.Fatalf("not all cases pass: %+v", t)
	}
	b.ResetTimer()
	for range b.N {
		r.Run(context.Background(), cases)
	}
	b.StopTimer()
	elapsed := b.Elapsed()
	b.ReportMetric(float64(len(cases)*b.N)/elapsed.Seconds(), "cases/s")
	b.ReportMetric(float64(elapsed)/float64(signAlone(b, cases, b.N)), "x-sign-alone")
	reportFloor(b, cases, elapsed)
}

// BenchmarkFloor is the baseline the others report against: per case only
// the cryptographic work the scheme needs (floor_test.go), over the whole
// corpus, the inputs prepared before the timer starts.
func BenchmarkFloor(b *testing.B) {
	cases := allCases(b)
	fcs, st := buildFloor(b, cases)
	s := newFloorScratch()
	b.ResetTimer()
	for range b.N {
		for i := range fcs {
			s.run(&fcs[i])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(fcs)*b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(float64(st.skipped), "floor-skipped")
}

// BenchmarkSignAlone is the reference's own work, no runner: what the
// reference signers and verifiers cost, against the floor.
func BenchmarkSignAlone(b *testing.B) {
	cases := allCases(b)
	b.ResetTimer()
	signAlone(b, cases, b.N)
	b.StopTimer()
	elapsed := b.Elapsed()
	b.ReportMetric(float64(len(cases)*b.N)/elapsed.Seconds(), "cases/s")
	reportFloor(b, cases, elapsed)
}

func BenchmarkInProcess(b *testing.B) { benchRun(b, suites.Reference{}) }

// benchWindows are the windows the subprocess and HTTP benchmarks try:
// one at a time, and around the automatic choice (adapter.DefaultWindow).
var benchWindows = []int{1, 4, 8, 16, 64}

func BenchmarkSubprocess(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range benchWindows {
		b.Run(fmt.Sprintf("window=%d", w), func(b *testing.B) {
			p := adapter.NewProcess(adapterEnv+"=stdio exec "+exe, "")
			p.Window = w
			defer p.Close()
			benchRun(b, p)
		})
	}
}

func BenchmarkHTTP(b *testing.B) {
	srv := httptest.NewServer(adapter.Handler(suites.Reference{}))
	defer srv.Close()
	for _, w := range benchWindows {
		b.Run(fmt.Sprintf("window=%d", w), func(b *testing.B) {
			h := adapter.NewHTTP(srv.URL)
			h.Window = w
			defer h.Close()
			benchRun(b, h)
		})
	}
}
