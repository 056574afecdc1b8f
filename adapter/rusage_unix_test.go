//go:build unix

package adapter_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time, user and system, used so far by this process
// (self) or by its children that have exited and been waited for.
func cpuTime(children bool) time.Duration {
	who := syscall.RUSAGE_SELF
	if children {
		who = syscall.RUSAGE_CHILDREN
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
