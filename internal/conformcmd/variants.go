package conformcmd

import (
	"encoding/json"
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
	format := fs.String("format", "text", "text, or json: a list of {scheme, name, summary, bug_type, refs, signs, verifies}")
	caseID := fs.String("case", "", "print what each variant the case records produces, computed by the reference: its stages (the vector keeps only where it departs), signature and signed request")
	variant := fs.String("variant", "", "with -case: only this variant")
	dir := fs.String("vectors", "", "with -case: read the vector files in this directory instead of the embedded ones")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "conform variants: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *caseID != "" {
		return variantsOfCase(*caseID, *dir, *variant, stdout, stderr)
	}
	if *variant != "" || *dir != "" {
		fmt.Fprintln(stderr, "conform variants: -variant and -vectors go with -case")
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "conform variants: -format must be text or json, not %q\n", *format)
		return 2
	}
	found := false
	list := []variantJSON{} // [] rather than null when a scheme has none
	for _, s := range scheme.All() {
		if *only != "" && s.Name() != *only {
			continue
		}
		found = true
		if *format == "json" {
			for _, v := range s.Variants() {
				list = append(list, variantJSON{s.Name(), v.Name, v.Summary, v.BugType, append([]string{}, v.Refs...), v.Signs, v.Verifies})
			}
			continue
		}
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
			fmt.Fprintf(stdout, "  %s [%s; %s]\n    %s\n", v.Name, what, v.BugType, v.Summary)
			for _, r := range v.Refs {
				fmt.Fprintf(stdout, "    see %s\n", r)
			}
		}
	}
	if !found {
		fmt.Fprintf(stderr, "conform variants: unknown scheme %q\n", *only)
		return 2
	}
	if *format == "json" {
		return writeJSON(stdout, stderr, "conform variants", list)
	}
	return 0
}

// variantJSON is one variant in `conform variants -format json`: what a
// tool that annotates reports or links bug trackers needs.
type variantJSON struct {
	Scheme   string   `json:"scheme"`
	Name     string   `json:"name"`
	Summary  string   `json:"summary"`
	BugType  string   `json:"bug_type"`
	Refs     []string `json:"refs"`
	Signs    bool     `json:"signs"`
	Verifies bool     `json:"verifies"`
}

// writeJSON writes v indented, for people reading it as well as programs.
func writeJSON(stdout, stderr io.Writer, cmd string, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	return 0
}
