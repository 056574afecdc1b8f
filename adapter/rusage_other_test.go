//go:build !unix

package adapter_test

import "time"

// cpuTime is not measured here: the CPU metrics read 0.
func cpuTime(children bool) time.Duration { return 0 }
