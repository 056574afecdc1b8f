package vectors_test

import (
	"testing"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// What conform does before its first case: load and check every embedded
// vector. The first start parses the YAML; later ones read the cache the
// first one wrote (vectors/cache.go).

func BenchmarkStartupParse(b *testing.B) {
	benchStartup(b, func() (*vectors.Set, error) { return vectors.Load(vectors.FS()) })
}

func BenchmarkStartupCached(b *testing.B) {
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	b.Setenv("HOME", b.TempDir())
	if _, err := vectors.LoadEmbeddedForTest(); err != nil { // writes the cache
		b.Fatal(err)
	}
	benchStartup(b, func() (*vectors.Set, error) {
		set, err := vectors.LoadEmbeddedForTest()
		if err == nil && !vectors.LastLoadWasCached() {
			b.Fatal("the cache was not used")
		}
		return set, err
	})
}

func benchStartup(b *testing.B, load func() (*vectors.Set, error)) {
	n := 0
	b.ResetTimer()
	for range b.N {
		set, err := load()
		if err != nil {
			b.Fatal(err)
		}
		if err := suites.CheckSet(set); err != nil {
			b.Fatal(err)
		}
		n = len(set.Cases())
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/start")
	b.ReportMetric(float64(n), "cases")
}
