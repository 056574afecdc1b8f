package sigconform_test

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/sigconform/sigconform/internal/conformcmd"
	"github.com/sigconform/sigconform/internal/vectorgencmd"
)

// The scripts in testdata/script run conform and vectorgen as a user types
// them; the commands run in this test binary, re-executed by testscript.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"conform":   func() { os.Exit(conformcmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"vectorgen": func() { os.Exit(vectorgencmd.Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Scripts that need the repository (vectorgen -check) find it here.
			env.Setenv("REPO", wd)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"copytree": cmdCopytree,
			"replace":  cmdReplace,
		},
	})
}

// exits N prog args... runs prog and fails unless its exit code is N: the
// exit codes are part of conform's documented interface.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N prog [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// copytree SRC DST copies a directory tree.
func cmdCopytree(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: copytree SRC DST")
	}
	src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	ts.Check(os.CopyFS(dst, os.DirFS(src)))
}

// replace FILE OLD NEW replaces the first OLD in FILE by NEW, as a person
// editing the file would; it fails when OLD is not there.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	name := ts.MkAbs(args[0])
	b, err := os.ReadFile(name)
	ts.Check(err)
	if !strings.Contains(string(b), args[1]) {
		ts.Fatalf("replace: %q not in %s", args[1], args[0])
	}
	ts.Check(os.WriteFile(name, []byte(strings.Replace(string(b), args[1], args[2], 1)), 0o644))
}
