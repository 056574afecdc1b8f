package procbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// command is one whole process to time.
type command struct {
	name string
	args []string // args[0] is the program
}

// build builds each ./cmd/NAME of the module into a temporary directory and
// returns that directory and the module's root.
func build(b *testing.B, names ...string) (bin, root string) {
	b.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	bin = b.TempDir()
	for _, name := range names {
		cmd := exec.Command("go", "build", "-o", filepath.Join(bin, name), "./cmd/"+name)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", name, err, out)
		}
	}
	return bin, root
}

// timeCommands runs each command in dir, in turn, b.N times, and reports
// each one's median wall and CPU time (user and system, its children's
// included when it waits for them) and, for all but the first, their ratios
// to the first one's, named NAME/BASE and NAME/BASE-cpu.
func timeCommands(b *testing.B, dir, home string, cmds []command) {
	b.Helper()
	times := make([][]time.Duration, len(cmds))
	cpu := make([][]time.Duration, len(cmds))
	b.ResetTimer()
	for range b.N {
		for i, c := range cmds {
			cmd := exec.Command(c.args[0], c.args[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+home) // no user state
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", c.name, err, out)
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
	for i, c := range cmds {
		m, u := median(times[i]), median(cpu[i])
		b.ReportMetric(float64(m.Microseconds())/1000, c.name+"-ms")
		b.ReportMetric(float64(u.Microseconds())/1000, c.name+"-cpu-ms")
		if i > 0 {
			b.ReportMetric(float64(m)/float64(base), c.name+"/"+cmds[0].name)
			b.ReportMetric(float64(u)/float64(cpuBase), c.name+"/"+cmds[0].name+"-cpu")
		}
	}
}
