package suites_test

import (
	"testing"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// BenchmarkStartup is what conform does before its first case: load and
// check every embedded vector (vectors.Embedded caches, so Load is called).
func BenchmarkStartup(b *testing.B) {
	n := 0
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
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/start")
	b.ReportMetric(float64(n), "cases")
}
