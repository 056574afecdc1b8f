package conformcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// selection is the flags that choose which vectors to use, shared by run
// and list.
type selection struct {
	dir     string
	schemes string
	tags    string
	kind    string
	run     string
}

func (s *selection) register(fs *flag.FlagSet) {
	fs.StringVar(&s.dir, "vectors", "", "read vector files from this directory instead of the embedded ones")
	fs.StringVar(&s.schemes, "scheme", "", "only these schemes (comma-separated)")
	fs.StringVar(&s.tags, "tag", "", "only cases with one of these tags (comma-separated)")
	fs.StringVar(&s.kind, "kind", "", "only sign or verify cases")
	fs.StringVar(&s.run, "run", "", "only cases whose id matches this regular expression")
}

// load reads and checks the vectors and returns the selected cases. Its
// errors are input errors: exit code 2.
func (s *selection) load() ([]*vectors.Case, error) {
	var set *vectors.Set
	var err error
	if s.dir != "" {
		if _, statErr := os.Stat(s.dir); statErr != nil {
			return nil, statErr
		}
		set, err = vectors.Load(os.DirFS(s.dir))
		err = prefixPaths(err, s.dir)
	} else {
		set, err = vectors.Embedded()
	}
	if err != nil {
		return nil, err
	}
	if err := suites.CheckSet(set); err != nil {
		return nil, prefixPaths(err, s.dir)
	}
	f := suites.Filter{Schemes: split(s.schemes), Tags: split(s.tags)}
	switch s.kind {
	case "":
	case "sign", "verify":
		f.Kinds = []vectors.Kind{vectors.Kind(s.kind)}
	default:
		return nil, fmt.Errorf("-kind must be sign or verify, not %q", s.kind)
	}
	if s.run != "" {
		re, err := regexp.Compile(s.run)
		if err != nil {
			return nil, fmt.Errorf("-run: %v", err)
		}
		f.IDs = re
	}
	cases := f.Select(set)
	if len(cases) == 0 {
		return nil, errors.New("no vector matches the filter")
	}
	return cases, nil
}

// prefixPaths makes the file names in vector errors relative to where the
// user is, not to the directory that was loaded.
func prefixPaths(err error, dir string) error {
	if err == nil || dir == "" {
		return err
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var ve *vectors.Error
		if errors.As(e, &ve) {
			ve.File = strings.TrimSuffix(dir, "/") + "/" + ve.File
		}
	}
	return err
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

const runUsage = `usage: conform run [flags]

Runs the vectors against an implementation and reports every divergence:
the stage where it happens and the known variant it matches. Without
-exec or -http it runs the built-in reference implementation.

Exit codes: 0 conformant, 1 divergences, 2 usage or input error,
3 the implementation under test broke.

flags:
`

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, runUsage); fs.PrintDefaults() }
	var sel selection
	sel.register(fs)
	format := fs.String("format", "text", "report format: text, json or junit")
	timeout := fs.Duration("timeout", suites.DefaultTimeout, "time allowed for each case")
	startTimeout := fs.Duration("start-timeout", adapter.DefaultStartTimeout, "with -exec: time the adapter process has to start, from its start to its first answer, on top of the case's -timeout")
	label := fs.String("label", "", "name the implementation under test, with its version, in the report (e.g. \"botocore 1.29.27\")")
	maxBroken := fs.Int("max-broken", 10, "stop calling the implementation after this many broken cases (0: never stop)")
	variant := fs.String("variant", "", "run the built-in reference as these known variants (comma-separated), to see how a divergent implementation is reported")
	execCmd := fs.String("exec", "", "run the vectors against this adapter command (run with sh -c), speaking the protocol of docs/protocol.md on its stdin and stdout")
	httpURL := fs.String("http", "", "run the vectors against the adapter at this URL (each request POSTed as JSON)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "conform run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	write, ok := writers[*format]
	if !ok {
		fmt.Fprintf(stderr, "conform run: -format must be text, json or junit, not %q\n", *format)
		return 2
	}
	cases, err := sel.load()
	if err != nil {
		fmt.Fprintf(stderr, "conform run: %v\n", err)
		return 2
	}
	if *startTimeout < 0 {
		fmt.Fprintf(stderr, "conform run: -start-timeout must not be negative, not %v\n", *startTimeout)
		return 2
	}
	impl, err := implementation(*execCmd, *startTimeout, *httpURL, *variant, split(sel.schemes))
	if err != nil {
		fmt.Fprintf(stderr, "conform run: %v\n", err)
		return 2
	}
	defer func() {
		// Close ends the adapter's processes; one that outlives that is
		// left behind, which the user must hear of.
		if err := impl.Close(); err != nil {
			fmt.Fprintf(stderr, "conform run: %v\n", err)
		}
	}()
	r := &suites.Runner{Signer: impl, Verifier: impl, Timeout: *timeout, MaxBroken: *maxBroken}
	rep := r.Run(context.Background(), cases)
	rep.Implementation = *label
	if err := write(rep, stdout); err != nil {
		fmt.Fprintf(stderr, "conform run: writing report: %v\n", err)
		return 2
	}
	return rep.ExitCode()
}

// impl is an implementation under test.
type impl interface {
	adapter.Impl
	Close() error
}

type reference struct{ suites.Reference }

func (reference) Close() error { return nil }

// implementation chooses what to run the vectors against: an adapter
// command (allowed startTimeout to start), an adapter URL, or the built-in
// reference.
func implementation(execCmd string, startTimeout time.Duration, httpURL, variant string, schemes []string) (impl, error) {
	n := 0
	for _, s := range []string{execCmd, httpURL, variant} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("give at most one of -exec, -http and -variant")
	}
	switch {
	case execCmd != "":
		p := adapter.NewProcess(execCmd, "")
		p.StartTimeout = startTimeout
		return p, nil
	case httpURL != "":
		u, err := url.Parse(httpURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("-http needs an http:// or https:// URL, not %q", httpURL)
		}
		return adapter.NewHTTP(httpURL), nil
	}
	if err := suites.CheckVariants(split(variant), schemes); err != nil {
		return nil, err
	}
	return reference{suites.Reference{Variants: split(variant)}}, nil
}

var writers = map[string]func(*suites.Report, io.Writer) error{
	"text":  (*suites.Report).WriteText,
	"json":  (*suites.Report).WriteJSON,
	"junit": (*suites.Report).WriteJUnit,
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sel selection
	sel.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cases, err := sel.load()
	if err != nil {
		fmt.Fprintf(stderr, "conform list: %v\n", err)
		return 2
	}
	for _, c := range cases {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", c.ID, c.Kind, c.Source, c.Title)
	}
	return 0
}
