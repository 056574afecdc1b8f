// Package procbench measures sigconform's commands as a user meets them:
// whole processes, started afresh, against `conform version` (a process
// that does nothing but start) timed in the same run, so that the ratios
// hold on a faster or a busier machine.
package procbench

import (
	"path/filepath"
	"testing"
)

// BenchmarkProcesses builds conform and vectorgen, then runs, in turn,
// conform version, conform list (load and check every embedded vector,
// list them) and vectorgen -check (generate the corpus and compare it
// with vectors/), b.N times each, and reports each one's median wall time
// and its ratio to conform version's, and the same for the CPU time each
// used (user and system), which other work on a shared machine disturbs
// less than the wall time.
func BenchmarkProcesses(b *testing.B) {
	bin, root := build(b, "conform", "vectorgen")
	timeCommands(b, root, bin, []command{
		{"version", []string{filepath.Join(bin, "conform"), "version"}},
		{"list", []string{filepath.Join(bin, "conform"), "list"}},
		{"vectorgen-check", []string{filepath.Join(bin, "vectorgen"), "-check", "-out", "vectors"}},
	})
}
