// Command vectorgen writes sigconform's generated vector files from the
// generators, and checks that the files in the repository are what the
// generators produce.
//
// Usage:
//
//	vectorgen -out vectors          write the generated files and update vectors/ids.lock
//	vectorgen -check -out vectors   exit 1, naming the first differing case, if they are stale
//	vectorgen -upgrade DIR          rewrite your own sigconform/v1 files in DIR in sigconform/v2
//
// vectors/ids.lock records, for every case id ever written (hand-written
// published files included), a hash of the case's input. An id whose input
// changes is refused: ids are never reused for other content.
package main

import (
	"os"

	"github.com/sigconform/sigconform/internal/gctune"
	"github.com/sigconform/sigconform/internal/vectorgencmd"
)

func main() {
	gctune.ForCommand()
	os.Exit(vectorgencmd.Main(os.Args[1:], os.Stdout, os.Stderr))
}
