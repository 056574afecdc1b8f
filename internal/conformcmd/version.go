package conformcmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/sigconform/sigconform/vectors"
)

// devel is what the Go toolchain records as the version of a module built
// from a checkout rather than installed at a released version.
const devel = "(devel)"

// versionInfo is what `conform version -format json` writes.
type versionInfo struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Corpus  string `json:"corpus"`
	Go      string `json:"go,omitempty"`
}

// cmdVersion prints the version of conform and of its embedded vectors: a
// CI log that records both says which results a later run can be compared
// with.
func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "conform version: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	v := versionInfo{Module: "github.com/sigconform/sigconform", Version: devel, Corpus: vectors.CorpusVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v.Go = bi.GoVersion
		// Test binaries and go run leave the version empty.
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
	}
	switch *format {
	case "text":
		fmt.Fprintf(stdout, "conform  %s%s\nvectors  %s\n", v.Version, buildNote(v.Version), v.Corpus)
		if v.Go != "" {
			fmt.Fprintf(stdout, "go       %s\n", v.Go)
		}
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "conform version: %v\n", err)
			return 1
		}
	default:
		fmt.Fprintf(stderr, "conform version: -format must be text or json, not %q\n", *format)
		return 2
	}
	return 0
}

// pseudoVersion matches the commit part of a Go pseudo-version
// (v0.0.0-20261206012152-3363128abcde), which go build records since Go
// 1.24 when it builds a checkout that has version control information.
var pseudoVersion = regexp.MustCompile(`-(?:0\.)?\d{14}-[0-9a-f]{12}(?:\+|$)`)

// buildNote says, for a person reading a CI log, when the version is not a
// release: a bug report against "(devel)" needs the commit as well.
func buildNote(v string) string {
	switch {
	case v == devel:
		return " (built from a source checkout, not a released version)"
	case strings.HasSuffix(v, "+dirty"):
		return " (built from a checkout with uncommitted changes, not a released version)"
	case pseudoVersion.MatchString(v):
		return " (built from a commit, not a released version)"
	}
	return ""
}
