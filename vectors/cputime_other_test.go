//go:build !unix

package vectors_test

import "time"

// cpuTime is not measured here; the benchmark reports time only.
func cpuTime() time.Duration { return 0 }
