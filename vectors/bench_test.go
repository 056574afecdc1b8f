package vectors_test

import (
	"testing"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// What conform does before its first case: load and check every embedded
// vector. Besides the time, it reports the CPU time a start costs, which
// other processes on a shared machine disturb far less.
func BenchmarkStartup(b *testing.B) {
	n := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		set, err := vectors.Load(vectors.FS())
		if err != nil {
			b.Fatal(err)
		}
		if err := suites.CheckSet(set); err != nil {
			b.Fatal(err)
		}
		n = len(set.Cases())
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/start")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/start")
	}
	b.ReportMetric(float64(n), "cases")
}
