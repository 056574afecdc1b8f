package adapter_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/internal/testparallel"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// The benchmarks run the test binary itself as the Go reference adapter.
const adapterEnv = "SIGCONFORM_TEST_ADAPTER"

func TestMain(m *testing.M) {
	switch mode := os.Getenv(adapterEnv); mode {
	case "":
		// The robustness tests mostly wait on adapters that hang.
		testparallel.AtLeast(8)
		os.Exit(m.Run())
	case "stdio":
		// SIGCONFORM_TEST_CPUPROFILE=FILE profiles the adapter's side
		// of a subprocess benchmark (go test -cpuprofile profiles only
		// conform's) for its first 5 seconds: Close kills the adapter,
		// so it cannot wait for the end.
		if f := os.Getenv("SIGCONFORM_TEST_CPUPROFILE"); f != "" {
			out, err := os.Create(fmt.Sprintf("%s.%d", f, os.Getpid()))
			if err == nil && pprof.StartCPUProfile(out) == nil {
				time.AfterFunc(5*time.Second, pprof.StopCPUProfile)
			}
		}
		n, _ := strconv.Atoi(os.Getenv("SIGCONFORM_TEST_CONCURRENCY"))
		if err := adapter.ServeLinesConcurrent(context.Background(), suites.Reference{}, os.Stdin, os.Stdout, n); err != nil {
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
// 0 when it covers the corpus; TestFloorCoversCorpus says so). When cpu,
// the CPU time of those passes (both processes for a subprocess), is not
// zero, it is reported per case (cpu-us/case) and as a ratio to the
// floor's CPU time (cpu-x-floor): on a machine others are loading, where
// wall-clock ratios swing with their load, the CPU ratio holds.
func reportFloor(b *testing.B, cases []*vectors.Case, elapsed, cpu time.Duration) {
	fcs, st := buildFloor(b, cases)
	cpu0 := cpuTime(false)
	wall := floorTime(fcs, len(cases), b.N)
	floorCPU := cpuTime(false) - cpu0
	b.ReportMetric(float64(elapsed)/float64(wall), "x-floor")
	b.ReportMetric(float64(st.skipped), "floor-skipped")
	if cpu > 0 && floorCPU > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N*len(cases))/1e3, "cpu-us/case")
		b.ReportMetric(float64(cpu)/float64(floorCPU), "cpu-x-floor")
	}
}

// benchRun times b.N runs of the corpus against impl. closeImpl, when not
// nil, ends impl's adapter process, whose CPU time (from children0, the
// children's CPU time before it started) is then counted too, scaled to
// the timed passes (it also ran the warm-up pass).
func benchRun(b *testing.B, impl adapter.Impl, closeImpl func(), children0 time.Duration) {
	cases := allCases(b)
	r := &suites.Runner{Signer: impl, Verifier: impl}
	rep := r.Run(context.Background(), cases) // warm up; also proves the setup
	if t := rep.Total(); t.Pass != t.Cases {
		b.Fatalf("not all cases pass: %+v", t)
	}
	b.ResetTimer()
	self0 := cpuTime(false)
	for range b.N {
		r.Run(context.Background(), cases)
	}
	b.StopTimer()
	cpu := cpuTime(false) - self0
	if closeImpl != nil {
		closeImpl()
		child := (cpuTime(true) - children0) * time.Duration(b.N) / time.Duration(b.N+1)
		cpu += child
		// The side that needs more CPU per case bounds the rate on an
		// idle machine with a core for each: 1e6 / its cpu-us/case.
		b.ReportMetric(float64(child)/float64(b.N*len(cases))/1e3, "adapter-cpu-us/case")
	}
	elapsed := b.Elapsed()
	b.ReportMetric(float64(len(cases)*b.N)/elapsed.Seconds(), "cases/s")
	b.ReportMetric(float64(elapsed)/float64(signAlone(b, cases, b.N)), "x-sign-alone")
	reportFloor(b, cases, elapsed, cpu)
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
	reportFloor(b, cases, elapsed, 0)
}

func BenchmarkInProcess(b *testing.B) { benchRun(b, suites.Reference{}, nil, 0) }

// benchWindows are the windows the subprocess and HTTP benchmarks try:
// one at a time, and around the automatic choices (adapter.DefaultWindow
// for HTTP, adapter.DefaultProcessWindow for a subprocess).
var benchWindows = []int{1, 4, 8, 16, 64}

func BenchmarkSubprocess(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range benchWindows {
		b.Run(fmt.Sprintf("window=%d", w), func(b *testing.B) {
			children0 := cpuTime(true)
			p := adapter.NewProcess(adapterEnv+"=stdio exec "+exe, "")
			p.Window = w
			defer p.Close()
			benchRun(b, p, func() { p.Close() }, children0)
		})
	}
}

// BenchmarkSubprocessConcurrent is BenchmarkSubprocess with the adapter
// answering two requests at once (ServeLinesConcurrent), at the automatic
// window.
func BenchmarkSubprocessConcurrent(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	children0 := cpuTime(true)
	p := adapter.NewProcess(adapterEnv+"=stdio SIGCONFORM_TEST_CONCURRENCY=2 exec "+exe, "")
	defer p.Close()
	benchRun(b, p, func() { p.Close() }, children0)
}

func BenchmarkHTTP(b *testing.B) {
	srv := httptest.NewServer(adapter.Handler(suites.Reference{}))
	defer srv.Close()
	for _, w := range benchWindows {
		b.Run(fmt.Sprintf("window=%d", w), func(b *testing.B) {
			h := adapter.NewHTTP(srv.URL)
			h.Window = w
			defer h.Close()
			benchRun(b, h, nil, 0)
		})
	}
}
