// Package conformcmd is the conform command: it runs sigconform's vectors
// against a signer or verifier and reports, for every divergence, the stage
// where it happens and the known variant it matches. It is a package, not
// package main, so that the testscript tests can run it in-process.
package conformcmd

import (
	"fmt"
	"io"
)

const usage = `usage: conform <command> [flags]

commands:
  run      run the vectors against an implementation and report
  list     list the vectors a filter selects
  adapter  serve the built-in reference as an adapter (stdio or HTTP)
  explain  say whether a signed request's signature is right, and if not, why
  serve    act as a scheme's server for signature checking, and explain each refusal
  probe    send correct and tampered requests to a live verifier and report its verdicts
  matrix   write the conformance matrix of several implementations from their JSON reports
  variants list each scheme's known divergent behaviours, with their evidence; -case ID: what each does to a case
  version  print the versions of conform and of its vector corpus
  export   write the vectors as one JSON document, for projects in other languages

Run 'conform <command> -h' for a command's flags.
`

// Main is conform with its arguments and streams, returning the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "adapter":
		return cmdAdapter(args[1:], stdin, stdout, stderr)
	case "explain":
		return cmdExplain(args[1:], stdin, stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "probe":
		return cmdProbe(args[1:], stdout, stderr)
	case "matrix":
		return cmdMatrix(args[1:], stdout, stderr)
	case "variants":
		return cmdVariants(args[1:], stdout, stderr)
	case "export":
		return cmdExport(args[1:], stdout, stderr)
	case "version":
		return cmdVersion(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "conform: unknown command %q\n%s", args[0], usage)
	return 2
}
