package procbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkRun runs conform run over the whole corpus as a user would: in
// process (the built-in reference), and against the same reference as a
// subprocess adapter (-exec 'conform adapter -stdio'), with the window
// chosen automatically and one request at a time (-window 1). It reports
// each one's median wall time and CPU time (user and system; the adapter
// process's is included when sh -c runs the command in its own place, as
// dash and bash do with a single command, since conform then waits for
// it) and, for the adapters, their
// ratios to the in-process run's, in the same run. On a machine others
// load, the CPU ratio holds better than the wall one.
func BenchmarkRun(b *testing.B) {
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	bin := b.TempDir()
	conform := filepath.Join(bin, "conform")
	build := exec.Command("go", "build", "-o", conform, "./cmd/conform")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build conform: %v\n%s", err, out)
	}
	adapterCmd := conform + " adapter -stdio"
	runs := []struct {
		name string
		args []string
	}{
		{"inprocess", []string{"run"}},
		{"exec", []string{"run", "-exec", adapterCmd}},
		{"exec-window1", []string{"run", "-window", "1", "-exec", adapterCmd}},
	}
	times := make([][]time.Duration, len(runs))
	cpu := make([][]time.Duration, len(runs))
	b.ResetTimer()
	for range b.N {
		for i, r := range runs {
			cmd := exec.Command(conform, r.args...)
			cmd.Dir = bin
			cmd.Env = append(os.Environ(), "HOME="+bin)
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", r.name, err, out)
			}
			times[i] = append(times[i], time.Since(start))
			cpu[i] = append(cpu[i], cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		ds = slices.Clone(ds)
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	base, cpuBase := median(times[0]), median(cpu[0])
	for i, r := range runs {
		m, c := median(times[i]), median(cpu[i])
		b.ReportMetric(float64(m.Microseconds())/1000, r.name+"-ms")
		b.ReportMetric(float64(c.Microseconds())/1000, r.name+"-cpu-ms")
		if i > 0 {
			b.ReportMetric(float64(m)/float64(base), r.name+"/inprocess")
			b.ReportMetric(float64(c)/float64(cpuBase), r.name+"/inprocess-cpu")
		}
	}
}
