package conformcmd

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/scheme"
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

// loadCheckedSet loads the vector set from the -vectors directory dir (the
// embedded one when dir is empty) and checks it against the schemes, its
// errors naming files under dir. run, list, export and variants -case
// all read -vectors through it.
func loadCheckedSet(dir string) (*vectors.Set, error) {
	var set *vectors.Set
	var err error
	if dir != "" {
		info, statErr := os.Stat(dir)
		if statErr != nil {
			return nil, statErr
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("-vectors %s: not a directory", dir)
		}
		set, err = vectors.Load(os.DirFS(dir))
		err = prefixPaths(err, dir)
	} else {
		set, err = vectors.Embedded()
	}
	if err == nil {
		err = prefixPaths(suites.CheckSet(set), dir)
	}
	return set, err
}

// load reads and checks the vectors and returns the selected cases and the
// whole set they were selected from. Its errors are input errors: exit
// code 2.
func (s *selection) load() ([]*vectors.Case, *vectors.Set, error) {
	set, err := loadCheckedSet(s.dir)
	if err != nil {
		return nil, nil, err
	}
	f := suites.Filter{Schemes: split(s.schemes), Tags: split(s.tags)}
	// A misspelt scheme in a list would select nothing of its own and
	// leave the run green on the others.
	for _, name := range f.Schemes {
		if _, ok := scheme.Lookup(name); !ok {
			return nil, nil, fmt.Errorf("-scheme: unknown scheme %q (known: %s)", name, strings.Join(scheme.Names(), ", "))
		}
	}
	switch s.kind {
	case "":
	case "sign", "verify":
		f.Kinds = []vectors.Kind{vectors.Kind(s.kind)}
	default:
		return nil, nil, fmt.Errorf("-kind must be sign or verify, not %q", s.kind)
	}
	if s.run != "" {
		re, err := regexp.Compile(s.run)
		if err != nil {
			return nil, nil, fmt.Errorf("-run: %v", err)
		}
		f.IDs = re
	}
	cases := f.Select(set)
	if len(cases) == 0 {
		return nil, nil, errors.New("no vector matches the filter")
	}
	return cases, set, nil
}

// prefixPaths makes the file names in vector errors relative to where the
// user is, not to the directory that was loaded. The loader joins errors
// per file and then over files, so every level is visited.
func prefixPaths(err error, dir string) error {
	if err == nil || dir == "" {
		return err
	}
	var walk func(error)
	walk = func(e error) {
		switch e := e.(type) {
		case *vectors.Error:
			e.File = strings.TrimSuffix(dir, "/") + "/" + e.File
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
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
On a terminal, a run that takes more than a second counts the cases done
on standard error.

Exit codes: 0 conformant, 1 divergences, 2 usage or input error,
3 the implementation under test broke.

flags:
`

// runOptions are conform run's flags.
type runOptions struct {
	sel                              selection
	files                            reportFiles
	write                            func(*suites.Report, io.Writer) error // -format
	timeout, startTimeout            time.Duration
	window, maxBroken                int
	label, variant, execCmd, httpURL string
	expectFile, writeExpect          string
}

// parseRunFlags reads conform run's flags and checks them, and that every
// output file can be written, before anything runs. Its errors are usage
// errors; errFlags is one the flag package has said on stderr.
func parseRunFlags(args []string, stderr io.Writer) (*runOptions, error) {
	var o runOptions
	fs := flag.NewFlagSet("conform run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, runUsage); fs.PrintDefaults() }
	o.sel.register(fs)
	format := fs.String("format", "text", "report format: text, json, junit, markdown or html")
	fs.DurationVar(&o.timeout, "timeout", suites.DefaultTimeout, "time allowed for each case")
	fs.DurationVar(&o.startTimeout, "start-timeout", adapter.DefaultStartTimeout, "with -exec: time the adapter process has to start, from its start to its first answer, on top of the case's -timeout")
	fs.StringVar(&o.label, "label", "", "name the implementation under test, with its version, in the report (e.g. \"botocore 1.29.27\")")
	fs.IntVar(&o.window, "window", 0, "with -exec or -http: requests in flight at once (0: automatic, 1: one at a time; docs/protocol.md)")
	fs.IntVar(&o.maxBroken, "max-broken", 10, "stop calling the implementation after this many broken cases (0: never stop)")
	fs.StringVar(&o.variant, "variant", "", "run the built-in reference as these known variants (comma-separated), to see how a divergent implementation is reported")
	fs.StringVar(&o.execCmd, "exec", "", "run the vectors against this adapter command (run with sh -c), speaking the protocol of docs/protocol.md on its stdin and stdout")
	fs.StringVar(&o.httpURL, "http", "", "run the vectors against the adapter at this URL (each request POSTed as JSON)")
	fs.StringVar(&o.expectFile, "expect", "", "the known divergences, as -write-expect writes them: exit 0 when the implementation fails exactly these cases for these causes")
	fs.StringVar(&o.writeExpect, "write-expect", "", "write the cases that fail, with their causes, to this file, for -expect")
	o.files.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, errFlags
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, not %v", o.timeout)
	case o.maxBroken < 0:
		return nil, fmt.Errorf("-max-broken must be 0 (never stop) or more, not %d", o.maxBroken)
	case o.window < 0:
		return nil, fmt.Errorf("-window must not be negative, not %d", o.window)
	case o.startTimeout < 0:
		return nil, fmt.Errorf("-start-timeout must not be negative, not %v", o.startTimeout)
	}
	// An output that cannot be written is found now, not after the run.
	for _, path := range append(o.files.files(), o.writeExpect) {
		if err := checkOutput(path); err != nil {
			return nil, err
		}
	}
	var ok bool
	if o.write, ok = writers[*format]; !ok {
		return nil, fmt.Errorf("-format must be text, json, junit, markdown or html, not %q", *format)
	}
	return &o, nil
}

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform run: "+format+"\n", a...)
		return 2
	}
	o, err := parseRunFlags(args, stderr)
	if errors.Is(err, errFlags) {
		return 2
	}
	if err != nil {
		return fail("%v", err)
	}
	cases, set, err := o.sel.load()
	if err != nil {
		return fail("%v", err)
	}
	var expect *suites.Expectations
	if o.expectFile != "" {
		if expect, err = suites.ReadExpectations(o.expectFile); err != nil {
			return fail("-expect: %v", err)
		}
	}
	impl, err := implementation(o.execCmd, o.startTimeout, o.httpURL, o.variant, split(o.sel.schemes))
	if err != nil {
		return fail("%v", err)
	}
	defer func() {
		// Close ends the adapter's processes; one that outlives that is
		// left behind, which the user must hear of.
		if err := impl.Close(); err != nil {
			fmt.Fprintf(stderr, "conform run: %v\n", err)
		}
	}()
	rep := o.run(impl, cases, stderr)
	if o.writeExpect != "" {
		// Without -expect, the run is checked against the file it wrote:
		// that reads the file back, and the exit code says whether it
		// holds. With -expect, against the file given: writing an updated
		// list for review must not turn a failing run green.
		written, err := writeExpectations(o.writeExpect, rep, o.label, o.sel.source())
		if err != nil {
			return fail("-write-expect: %v", err)
		}
		if expect == nil {
			expect = written
		}
	}
	if expect != nil {
		rep.Expect(expect, set)
	}
	if err := o.write(rep, stdout); err != nil {
		return fail("writing report: %v", err)
	}
	if err := o.files.write(rep); err != nil {
		return fail("%v", err)
	}
	return rep.ExitCode()
}

// run runs the cases against the implementation under test, counting them on stderr when that is a
// terminal, and gives the report its label and the cases their positions.
func (o *runOptions) run(under impl, cases []*vectors.Case, stderr io.Writer) *suites.Report {
	if w, ok := under.(interface{ SetWindow(int) }); ok {
		w.SetWindow(o.window)
	}
	r := &suites.Runner{Signer: under, Verifier: under, Timeout: o.timeout, MaxBroken: o.maxBroken}
	p := newProgress(stderr)
	if p != nil {
		r.Progress = p.update
	}
	rep := r.Run(context.Background(), cases)
	if p != nil {
		p.clear()
	}
	rep.Implementation = o.label
	for i := range rep.Cases {
		rep.Cases[i].Pos = o.sel.pos(rep.Cases[i].Pos)
	}
	return rep
}

// writeExpectations writes the run's failures to path, with a header
// saying what produced them, and reads the file back.
func writeExpectations(path string, rep *suites.Report, label, source string) (*suites.Expectations, error) {
	if label == "" {
		label = "(not named: conform run -label names it)"
	}
	header := fmt.Sprintf("Known divergences of %s\nagainst %s.\nWritten by conform run -write-expect.", label, source)
	var b bytes.Buffer
	if err := rep.WriteExpectations(&b, header); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return suites.ParseExpectations(path, b.Bytes())
}

// pos makes a case's position relative to where the user is, as
// prefixPaths does for load errors: with -vectors DIR, under DIR.
func (s *selection) pos(p string) string {
	if s.dir == "" {
		return p
	}
	return strings.TrimSuffix(s.dir, "/") + "/" + p
}

// source says which vectors a run used.
func (s *selection) source() string {
	if s.dir != "" {
		return "the vectors in " + s.dir
	}
	return "the embedded vectors, corpus version " + vectors.CorpusVersion
}

// reportFiles are the reports a run writes to files besides the one on
// standard output, so that one CI step yields them all.
type reportFiles struct {
	paths map[string]*string // format → file
}

func (f *reportFiles) register(fs *flag.FlagSet) {
	f.paths = map[string]*string{}
	for _, format := range []string{"json", "junit", "markdown", "html"} {
		f.paths[format] = fs.String(format, "", "also write the "+format+" report to this file")
	}
	f.paths["badge"] = fs.String("badge", "", "write an SVG badge (passed/total, coloured by the outcome) to this file")
}

// files are the files asked for.
func (f *reportFiles) files() []string {
	var out []string
	for _, p := range f.paths {
		if *p != "" {
			out = append(out, *p)
		}
	}
	return out
}

// write writes every report asked for; one that fails does not keep the
// others from being written.
func (f *reportFiles) write(rep *suites.Report) error {
	var errs []error
	for _, format := range slices.Sorted(maps.Keys(f.paths)) {
		path := *f.paths[format]
		if path == "" {
			continue
		}
		var b bytes.Buffer
		if err := fileWriter(format)(rep, &b); err != nil {
			errs = append(errs, fmt.Errorf("writing the %s report: %v", format, err))
			continue
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("-%s: %v", format, err))
		}
	}
	return errors.Join(errs...)
}

// checkOutput reports, before a run, an output file that cannot be
// written: its directory is missing, or it is a directory itself.
func checkOutput(path string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a file to write a report to", path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: no directory %s to write it in", path, filepath.Dir(path))
	}
	return nil
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
	"text":     (*suites.Report).WriteText,
	"json":     (*suites.Report).WriteJSON,
	"junit":    (*suites.Report).WriteJUnit,
	"markdown": (*suites.Report).WriteMarkdown,
	"html":     (*suites.Report).WriteHTML,
}

// fileWriter is the writer of a report written to a file: any -format, or
// the badge, which is a file only.
func fileWriter(format string) func(*suites.Report, io.Writer) error {
	if format == "badge" {
		return (*suites.Report).WriteBadge
	}
	return writers[format]
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sel selection
	sel.register(fs)
	format := fs.String("format", "text", "text (id, kind, source, title: tab-separated), or json: a list of {id, scheme, kind, source, title, tags, pos}")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "conform list: -format must be text or json, not %q\n", *format)
		return 2
	}
	cases, _, err := sel.load()
	if err != nil {
		fmt.Fprintf(stderr, "conform list: %v\n", err)
		return 2
	}
	if *format == "json" {
		list := make([]listJSON, 0, len(cases))
		for _, c := range cases {
			list = append(list, listJSON{c.ID, c.Scheme(), c.Kind, c.Source, c.Title, append([]string{}, c.Tags...), sel.pos(c.Pos())})
		}
		return writeJSON(stdout, stderr, "conform list", list)
	}
	for _, c := range cases {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", c.ID, c.Kind, c.Source, c.Title)
	}
	return 0
}

// listJSON is one case in `conform list -format json`; pos is where the
// case starts, file:line:column, as in every report.
type listJSON struct {
	ID     string         `json:"id"`
	Scheme string         `json:"scheme"`
	Kind   vectors.Kind   `json:"kind"`
	Source vectors.Source `json:"source"`
	Title  string         `json:"title"`
	Tags   []string       `json:"tags"`
	Pos    string         `json:"pos"`
}
