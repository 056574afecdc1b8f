package adapter_test

import (
	"context"
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
	if os.Getenv(adapterEnv) == "stdio" {
		if err := adapter.ServeLines(context.Background(), suites.Reference{}, os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func allCases(b *testing.B) []*vectors.Case {
	set, err := vectors.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	return set.Cases()
}

// signAlone computes every case's signature or verdict with the reference
// scheme directly, n times, and returns how long that took: the baseline
// each benchmark reports itself against, measured in the same run.
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
}

// BenchmarkSignAlone is the baseline: the reference's own work, no runner.
func BenchmarkSignAlone(b *testing.B) {
	cases := allCases(b)
	b.ResetTimer()
	signAlone(b, cases, b.N)
	b.ReportMetric(float64(len(cases)*b.N)/b.Elapsed().Seconds(), "cases/s")
}

func BenchmarkInProcess(b *testing.B) { benchRun(b, suites.Reference{}) }

func BenchmarkSubprocess(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	p := adapter.NewProcess(adapterEnv+"=stdio "+exe, "")
	defer p.Close()
	benchRun(b, p)
}

func BenchmarkHTTP(b *testing.B) {
	srv := httptest.NewServer(adapter.Handler(suites.Reference{}))
	defer srv.Close()
	h := adapter.NewHTTP(srv.URL)
	defer h.Close()
	benchRun(b, h)
}
