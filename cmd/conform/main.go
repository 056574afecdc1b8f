// Command conform runs sigconform's vectors against a signer or verifier and
// reports, for every divergence, the stage where it happens and the known
// variant it matches.
//
// Usage:
//
//	conform run [flags]     run the vectors (default: against the built-in reference)
//	conform list [flags]    list the vectors
//
// Exit codes: 0 conformant, 1 divergences, 2 usage or input error, 3 the
// implementation under test broke. Run "conform run -h" for the flags.
package main

import (
	"os"

	"github.com/sigconform/sigconform/internal/conformcmd"
	"github.com/sigconform/sigconform/internal/gctune"
)

func main() {
	gctune.ForCommand()
	os.Exit(conformcmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
