package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/internal/conformcmd"
	"github.com/sigconform/sigconform/internal/gctune"
	"github.com/sigconform/sigconform/internal/testparallel"
	"github.com/sigconform/sigconform/internal/vectorgencmd"
	"github.com/sigconform/sigconform/suites"
)

// The scripts in the repository's testdata/script run conform and vectorgen
// as a user types them. The commands are this test binary, re-executed by
// testscript, with the garbage collector set as the real commands set it;
// exits runs the short ones in the test process itself (runInProcess).
func TestMain(m *testing.M) {
	// For the commands run in the test process (runInProcess) too.
	gctune.ForCommand()
	commands := map[string]func(){
		"conform": func() {
			gctune.ForCommand()
			os.Exit(conformcmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
		"vectorgen": func() {
			gctune.ForCommand()
			os.Exit(vectorgencmd.Main(os.Args[1:], os.Stdout, os.Stderr))
		},
		// A deliberately broken adapter, for the robustness scripts.
		"brokenadapter": brokenAdapter,
	}
	// testscript runs the test binary as each command, by name (with
	// .exe on Windows); only the test process itself has the test flags.
	if commands[strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")] == nil {
		// The scripts mostly wait on the processes they start.
		testparallel.AtLeast(8)
		// The scripts run vectorgen a dozen times in this process.
		vectorgencmd.Memoize()
	}
	testscript.Main(m, commands)
}

func TestScripts(t *testing.T) {
	// The test runs in cmd/conform; the scripts and the repository they
	// check (vectorgen -check) are two levels up.
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join(repo, "testdata", "script"),
		Setup: func(env *testscript.Env) error {
			// Scripts that need the repository (vectorgen -check) find it here.
			env.Setenv("REPO", repo)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"copytree": cmdCopytree,
			"replace":  cmdReplace,
			"waitfile": cmdWaitfile,
			"envfile":  cmdEnvfile,
			"httpget":  cmdHTTPGet,
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
	if inProcess(args[1], args[2:]) {
		got = runInProcess(ts, args[1], args[2:])
	} else if err := ts.Exec(args[1], args[2:]...); err != nil {
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

// inProcess says whether exits runs this command line, conform or
// vectorgen, in the test process rather than in a process of its own
// (runInProcess). A conform process spends most of a short command loading
// the embedded corpus, which the test process loads once; over the
// hundred-odd commands of the scripts that was half their CPU time. The
// commands that wait for signals or serve (serve, probe, adapter) and
// those that read standard input ("-") keep a process of their own, as
// does every "exec conform" line. So do the runs against the scripts'
// misbehaving adapters (brokenadapter, or one that sleeps first): they
// wait out deliberate timeouts and grace periods, which in the test
// process would be waited one at a time (runInProcess runs one command at
// a time), where in processes of their own the scripts' waits overlap.
func inProcess(prog string, args []string) bool {
	if slices.Contains(args, "-") || slices.ContainsFunc(args, waitsOnPurpose) {
		return false
	}
	switch prog {
	case "vectorgen":
		return true
	case "conform":
		if len(args) == 0 {
			return false
		}
		switch args[0] {
		case "run", "list", "explain", "matrix", "variants", "export", "version":
			return true
		}
	}
	return false
}

// waitsOnPurpose says whether a command-line argument runs one of the
// scripts' adapters that hang, crash or start slowly on purpose.
func waitsOnPurpose(arg string) bool {
	return strings.Contains(arg, "brokenadapter") || strings.Contains(arg, "sleep ")
}

// inProcessMu serializes the in-process commands: each runs in the
// script's directory, which is the process's, and with the script's values
// of the variables it reads or hands to a shell.
var inProcessMu sync.Mutex

var shellVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// runInProcess runs conform or vectorgen with args as the script would in
// a process of its own: in the script's directory, the variables it reads
// (-secret-env) or hands to a shell ($NAME in -exec) set as the script set
// them, with no standard input, its output the command's stdout and stderr.
// It returns the exit code.
func runInProcess(ts *testscript.TestScript, prog string, args []string) int {
	inProcessMu.Lock()
	defer inProcessMu.Unlock()
	wd, err := os.Getwd()
	ts.Check(err)
	ts.Check(os.Chdir(ts.MkAbs(".")))
	defer func() { ts.Check(os.Chdir(wd)) }()
	// The variables the command reads: those it names with -secret-env,
	// and those a shell command it runs (-exec) refers to, such as $WORK.
	var names []string
	for i, a := range args {
		if (a == "-secret-env" || a == "--secret-env") && i+1 < len(args) {
			names = append(names, args[i+1])
		}
		for _, m := range shellVar.FindAllStringSubmatch(a, -1) {
			names = append(names, m[1])
		}
	}
	for _, name := range names {
		old, had := os.LookupEnv(name)
		if v := ts.Getenv(name); v != "" {
			os.Setenv(name, v)
		} else {
			os.Unsetenv(name)
		}
		defer func() {
			if had {
				os.Setenv(name, old)
			} else {
				os.Unsetenv(name)
			}
		}()
	}
	if prog == "vectorgen" {
		return vectorgencmd.Main(args, ts.Stdout(), ts.Stderr())
	}
	return conformcmd.Main(args, strings.NewReader(""), ts.Stdout(), ts.Stderr())
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

// waitfile FILE waits for FILE to exist and be non-empty: a background
// command's signal that it is ready. The minute it allows is for a busy
// machine; on an idle one the file is there in milliseconds.
func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	name := ts.MkAbs(args[0])
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(name); err == nil && len(b) > 0 {
			return
		}
	}
	ts.Fatalf("waitfile: %s did not appear", args[0])
}

// httpget URL sends one GET to URL, as a client would, and writes the
// status code and body to stdout.
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpget URL")
	}
	resp, err := http.Get(args[0])
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%d\n%s\n", resp.StatusCode, body)
}

// envfile VAR FILE sets VAR to the content of FILE.
func cmdEnvfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: envfile VAR FILE")
	}
	b, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	ts.Setenv(args[0], strings.TrimSpace(string(b)))
}

// brokenAdapter misbehaves as its argument says, after reading one request:
// hang, crash, closeout (close standard output and stay up), garbage, huge
// (a line over the size limit), wrongid, or oneshot (answer correctly with
// the reference, then exit).
//
// The modes that answer several requests first: crash3 answers with the
// reference but on every third request says "boom" on standard error and
// exits 7; stray FILE answers with the reference but, if FILE does not
// exist yet, creates it and writes its first answer twice, the second time
// before its second answer: one stray line in a run.
func brokenAdapter() {
	in := bufio.NewReader(os.Stdin)
	switch os.Args[1] {
	case "crash3":
		for n := 1; ; n++ {
			req := readRequest(in)
			if n%3 == 0 {
				fmt.Fprintln(os.Stderr, "boom")
				os.Exit(7)
			}
			answer(req)
		}
	case "stray":
		first := readRequest(in)
		answer(first)
		if f, err := os.OpenFile(os.Args[2], os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644); err == nil {
			f.Close()
			answer(first)
		}
		for {
			answer(readRequest(in))
		}
	}
	req := readRequest(in)
	switch mode := os.Args[1]; mode {
	case "hang":
		select {}
	case "crash":
		fmt.Fprintln(os.Stderr, "panic: the adapter fell over")
		os.Exit(1)
	case "closeout":
		// Close standard output and stay up: conform must not wait for
		// an exit that never comes.
		os.Stdout.Close()
		select {}
	case "garbage":
		fmt.Println("hello, I am not JSON")
	case "huge":
		fmt.Println(`{"id":"` + strings.Repeat("x", adapter.MaxMessage+10) + `"}`)
	case "wrongid":
		resp := adapter.Answer(context.Background(), suites.Reference{}, req)
		resp.ID = "some/other/case"
		json.NewEncoder(os.Stdout).Encode(resp)
	case "oneshot":
		answer(req)
		os.Exit(0)
	default:
		fmt.Fprintln(os.Stderr, "brokenadapter: unknown mode", mode)
		os.Exit(2)
	}
	// Stay up like a well-behaved adapter would, answering nothing more.
	select {}
}

// readRequest reads the next request; at the end of the input the adapter
// is done and exits 0.
func readRequest(in *bufio.Reader) *adapter.Request {
	line, err := in.ReadBytes('\n')
	if err != nil {
		os.Exit(0)
	}
	var req adapter.Request
	if err := json.Unmarshal(line, &req); err != nil {
		fmt.Fprintln(os.Stderr, "brokenadapter: bad request:", err)
		os.Exit(2)
	}
	return &req
}

// answer writes the reference's answer to req.
func answer(req *adapter.Request) {
	json.NewEncoder(os.Stdout).Encode(adapter.Answer(context.Background(), suites.Reference{}, req))
}
