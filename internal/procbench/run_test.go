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
// each one's median wall time and, for the adapters, its ratio to the
// in-process run's, in the same run.
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
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		ds = slices.Clone(ds)
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	base := median(times[0])
	for i, r := range runs {
		m := median(times[i])
		b.ReportMetric(float64(m.Microseconds())/1000, r.name+"-ms")
		if i > 0 {
			b.ReportMetric(float64(m)/float64(base), r.name+"/inprocess")
		}
	}
}
