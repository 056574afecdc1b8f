package conformcmd

import (
	"flag"
	"fmt"
	"io"

	"github.com/sigconform/sigconform/scheme"
)

// cmdVariants lists each scheme's named variants: the known divergent
// behaviours a report can name, with what they change and the evidence.
func cmdVariants(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform variants", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("scheme", "", "only this scheme")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	found := false
	for _, s := range scheme.All() {
		if *only != "" && s.Name() != *only {
			continue
		}
		found = true
		fmt.Fprintf(stdout, "%s (stages: %v)\n", s.Name(), s.Stages())
		for _, v := range s.Variants() {
			what := ""
			switch {
			case v.Signs && v.Verifies:
				what = "signs, verifies"
			case v.Signs:
				what = "signs"
			case v.Verifies:
				what = "verifies"
			}
			fmt.Fprintf(stdout, "  %s [%s]\n    %s\n", v.Name, what, v.Summary)
			for _, r := range v.Refs {
				fmt.Fprintf(stdout, "    see %s\n", r)
			}
		}
	}
	if !found {
		fmt.Fprintf(stderr, "conform variants: unknown scheme %q\n", *only)
		return 2
	}
	return 0
}
