// Package gctune sets the garbage collector for sigconform's short-lived
// commands.
package gctune

import (
	"os"
	"runtime/debug"
)

// ForCommand lets the heap grow to five times what is live before
// collecting (GOGC=400), unless the user set GOGC. conform and vectorgen
// build the whole corpus's YAML node trees before anything else, almost
// all of it garbage a moment later; collecting at the default rate while
// they do cost a third of conform's start-up, for memory a command that
// ends within a second has no use for.
func ForCommand() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
}
