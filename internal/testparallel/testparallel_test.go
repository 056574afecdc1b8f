package testparallel

import (
	"flag"
	"testing"
)

func TestAtLeast(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		dflt, n int
		want    string
	}{
		{nil, 2, 8, "8"},                          // raised
		{nil, 16, 8, "16"},                        // already more
		{[]string{"-test.parallel=3"}, 2, 8, "3"}, // the user's choice stands
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.Int("test.parallel", tt.dflt, "")
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		atLeast(fs, tt.n)
		if got := fs.Lookup("test.parallel").Value.String(); got != tt.want {
			t.Errorf("args %q, default %d, AtLeast(%d): -test.parallel %s, want %s", tt.args, tt.dflt, tt.n, got, tt.want)
		}
	}
	// Without the flag (not a test binary's flag set) nothing happens.
	atLeast(flag.NewFlagSet("other", flag.ContinueOnError), 8)
}
