// Package testparallel raises how many parallel tests a test binary runs at
// once, for the packages whose parallel tests mostly wait: on adapters
// that hang on purpose, on deadlines and grace periods, on servers.
// go test's default, GOMAXPROCS, suits tests that compute; on a 2-core
// machine it let two such tests wait at a time while the cores idled.
package testparallel

import (
	"flag"
	"strconv"
)

// AtLeast sets -test.parallel to n unless the command line sets it or it is
// already n or more. Call it from TestMain, before m.Run, in the test
// process itself (not in a process that re-runs the test binary as some
// other command: its arguments are not the test binary's flags).
func AtLeast(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	atLeast(flag.CommandLine, n)
}

// atLeast is AtLeast on the parsed flag set fs.
func atLeast(fs *flag.FlagSet, n int) {
	f := fs.Lookup("test.parallel")
	if f == nil {
		return // not a test binary
	}
	set := false
	fs.Visit(func(v *flag.Flag) { set = set || v == f })
	if cur, err := strconv.Atoi(f.Value.String()); set || err != nil || cur >= n {
		return
	}
	f.Value.Set(strconv.Itoa(n))
}
