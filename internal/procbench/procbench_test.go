// Package procbench measures sigconform's commands as a user meets them:
// whole processes, started afresh, against `conform version` (a process
// that does nothing but start) timed in the same run, so that the ratios
// hold on a faster or a busier machine.
package procbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkProcesses builds conform and vectorgen, then runs, in turn,
// conform version, conform list (load and check every embedded vector,
// list them) and vectorgen -check (generate the corpus and compare it
// with vectors/), b.N times each, and reports each one's median wall time
// and its ratio to conform version's, and the same for the CPU time each
// used (user and system), which other work on a shared machine disturbs
// less than the wall time.
func BenchmarkProcesses(b *testing.B) {
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	bin := b.TempDir()
	for _, cmd := range []string{"conform", "vectorgen"} {
		build := exec.Command("go", "build", "-o", filepath.Join(bin, cmd), "./cmd/"+cmd)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", cmd, err, out)
		}
	}
	runs := []struct {
		name string
		args []string
	}{
		{"version", []string{filepath.Join(bin, "conform"), "version"}},
		{"list", []string{filepath.Join(bin, "conform"), "list"}},
		{"vectorgen-check", []string{filepath.Join(bin, "vectorgen"), "-check", "-out", "vectors"}},
	}
	times := make([][]time.Duration, len(runs))
	cpu := make([][]time.Duration, len(runs))
	b.ResetTimer()
	for range b.N {
		for i, r := range runs {
			cmd := exec.Command(r.args[0], r.args[1:]...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "HOME="+bin) // no user state
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
			b.ReportMetric(float64(m)/float64(base), r.name+"/version")
			b.ReportMetric(float64(c)/float64(cpuBase), r.name+"/version-cpu")
		}
	}
}
