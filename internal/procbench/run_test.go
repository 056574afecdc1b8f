package procbench

import (
	"path/filepath"
	"testing"
)

// BenchmarkRun runs conform run over the whole corpus as a user would: in
// process (the built-in reference), and against the same reference as a
// subprocess adapter (-exec 'conform adapter -stdio'), with the window
// chosen automatically and one request at a time (-window 1). It reports
// each one's median wall time and CPU time (user and system; the adapter
// process's is included when sh -c runs the command in its own place, as
// dash and bash do with a single command, since conform then waits for
// it) and, for the adapters, their
// ratios to the in-process run's, in the same run. On a machine others
// load, the CPU ratio holds better than the wall one.
func BenchmarkRun(b *testing.B) {
	bin, _ := build(b, "conform")
	conform := filepath.Join(bin, "conform")
	adapterCmd := conform + " adapter -stdio"
	timeCommands(b, bin, bin, []command{
		{"inprocess", []string{conform, "run"}},
		{"exec", []string{conform, "run", "-exec", adapterCmd}},
		{"exec-window1", []string{conform, "run", "-window", "1", "-exec", adapterCmd}},
	})
}
