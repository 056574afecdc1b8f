package conformcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/redact"
	"github.com/sigconform/sigconform/server"
)

const serveUsage = `usage: conform serve -scheme S -access-key K (-secret-env NAME | -secret-file PATH)
                     [-listen 127.0.0.1:0] [-allow-remote] [-url-file F] [-strict | -lenient]
                     [-report F.txt] [-report-json F.json] [-max-requests N]

Acts as the scheme's server for signature checking: it verifies each request
with the reference algorithm at the current time and answers as the real
server does (CloudStack 401, ZStack 403/400, AWS 403 SignatureDoesNotMatch
...), explaining every refusal on standard error: the reference's reason
and, when one matches, the known variant that produced the signature and
the stage where it departs. With -lenient it also accepts a request that a
known variant accepts or produced, and records which.

It stops on SIGINT or SIGTERM, or after -max-requests requests, writes its
report (to -report / -report-json, else the text report to standard
output) and exits 0. See docs/serve.md.

flags:
`

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform serve: "+format+"\n", a...)
		return 2
	}
	o, err := parseServeFlags(args, stderr)
	if errors.Is(err, errFlags) {
		return 2
	}
	if err != nil {
		return fail("%v", err)
	}
	secret := o.secret
	// Everything serve prints or writes from here on may quote what a
	// client sent, and a client may send the secret itself (in a query
	// parameter, percent-encoded, lowercased into a command string): all of
	// it goes through one redactor.
	red := redact.New(secret)
	redErr, redOut := red.Writer(stderr), red.Writer(stdout)
	defer redErr.Flush()
	defer redOut.Flush()
	stderr, stdout = redErr, redOut
	if err := checkLoopback(o.listen, o.allowRemote); err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fail("%v", err)
	}
	u := "http://" + ln.Addr().String()
	rep := &server.Report{Scheme: o.scheme.Name(), Mode: o.mode(), URL: u, Started: time.Now().UTC().Format(time.RFC3339)}
	// Signals are caught before the URL is published, so that a script
	// that stops the server once it has the URL stops it cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var mu sync.Mutex // guards rep
	h, enough := o.handler(secret, rep, &mu, stderr)
	srv := server.NewHTTPServer(h)
	fmt.Fprintf(stderr, "conform serve: %s (%s) serving on %s\n", o.scheme.Name(), o.mode(), u)
	if o.urlFile != "" {
		if err := os.WriteFile(o.urlFile, []byte(u+"\n"), 0o644); err != nil {
			ln.Close()
			return fail("%v", err)
		}
	}
	if err := serveUntilStopped(ctx, srv, ln, enough); err != nil {
		fmt.Fprintf(stderr, "conform serve: %v\n", err)
		return 1
	}

	mu.Lock()
	defer mu.Unlock()
	rep.Stopped = time.Now().UTC().Format(time.RFC3339)
	code := o.writeReports(rep, red, stdout, stderr)
	fmt.Fprintf(stderr, "conform serve: stopped after %d requests (%d accepted, %d refused)\n", rep.Requests, rep.Accepted, rep.Refused)
	return code
}

// errFlags is a flag the flag package has already reported.
var errFlags = errors.New("bad flags")

// serveOptions are conform serve's flags, checked.
type serveOptions struct {
	scheme                 sigconform.Scheme
	dialect                server.Dialect
	listen                 string
	allowRemote            bool
	urlFile                string
	accessKey              string
	secretEnv, secretFile  string
	secret                 string // read from -secret-env or -secret-file, never a flag
	lenient                bool
	asVariant              string // a verifying variant's name, checked
	reportText, reportJSON string
	maxRequests            int
	region, service        string
}

func parseServeFlags(args []string, stderr io.Writer) (*serveOptions, error) {
	fs := flag.NewFlagSet("conform serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	o := &serveOptions{}
	schemeName := fs.String("scheme", "", "the scheme: cloudstack, zstack, sigv4 or sigv2")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on (loopback unless -allow-remote)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow a -listen address that is not loopback")
	fs.StringVar(&o.urlFile, "url-file", "", "once listening, write the server's URL to this file (for scripts)")
	fs.StringVar(&o.accessKey, "access-key", "", "the access key (API key) the server knows")
	fs.StringVar(&o.secretEnv, "secret-env", "", "read the secret key from this environment variable")
	fs.StringVar(&o.secretFile, "secret-file", "", "read the secret key from this file")
	strict := fs.Bool("strict", false, "accept only what the reference accepts (the default)")
	fs.BoolVar(&o.lenient, "lenient", false, "also accept a request that a known variant accepts or produced, and record which")
	fs.StringVar(&o.asVariant, "variant", "", "verify as this known buggy server does (a verifying variant: conform variants lists them), to reproduce a reported refusal")
	fs.StringVar(&o.reportText, "report", "", "write the text report to this file when stopping")
	fs.StringVar(&o.reportJSON, "report-json", "", "write the JSON report to this file when stopping")
	fs.IntVar(&o.maxRequests, "max-requests", 0, "stop after this many requests (0: until SIGINT or SIGTERM)")
	fs.StringVar(&o.region, "region", "", "sigv4: the region the credential scope must name (default: any)")
	fs.StringVar(&o.service, "service", "", "sigv4: the service the credential scope must name (default: any)")
	if err := fs.Parse(args); err != nil {
		return nil, errFlags
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	s, err := lookupScheme(*schemeName)
	if err != nil {
		return nil, err
	}
	o.scheme = s
	dialect, ok := server.DialectFor(s.Name())
	if !ok {
		return nil, fmt.Errorf("scheme %s has no server dialect", s.Name())
	}
	o.dialect = dialect
	if *strict && o.lenient {
		return nil, errors.New("give -strict or -lenient, not both")
	}
	if o.asVariant != "" {
		if *strict || o.lenient {
			return nil, errors.New("-variant decides as that variant does: give it without -strict or -lenient")
		}
		if o.asVariant, err = verifyingVariant(s, o.asVariant); err != nil {
			return nil, err
		}
	}
	if o.accessKey == "" {
		return nil, errors.New("give the access key the server knows with -access-key")
	}
	if o.maxRequests < 0 {
		return nil, errors.New("-max-requests must not be negative")
	}
	if (o.region != "" || o.service != "") && s.Name() != "sigv4" {
		return nil, errors.New("-region and -service are for -scheme sigv4")
	}
	if o.secret, err = readSecret(o.secretEnv, o.secretFile); err != nil {
		return nil, err
	}
	return o, nil
}

// mode is how the server decides, for its report.
func (o *serveOptions) mode() string {
	switch {
	case o.asVariant != "":
		return "as variant " + o.asVariant
	case o.lenient:
		return "lenient"
	}
	return "strict"
}

// handler is the server's handler, which records each request in rep
// (under mu) and on stderr, and closes enough after -max-requests.
func (o *serveOptions) handler(secret string, rep *server.Report, mu *sync.Mutex, stderr io.Writer) (*server.Handler, <-chan struct{}) {
	enough := make(chan struct{})
	var stopOnce sync.Once
	return &server.Handler{
		Checker: server.Checker{
			Scheme:      o.scheme,
			Credentials: sigconform.Credentials{AccessKey: o.accessKey, SecretKey: secret},
			Lenient:     o.lenient,
			AsVariant:   o.asVariant,
			Context:     sigconform.Context{Region: o.region, Service: o.service},
		},
		Dialect: o.dialect,
		Record: func(e server.Entry) {
			mu.Lock()
			defer mu.Unlock()
			rep.Add(e)
			fmt.Fprintf(stderr, "conform serve: #%d %s\n", e.Seq, e.Line())
			if o.maxRequests > 0 && rep.Requests >= o.maxRequests {
				stopOnce.Do(func() { close(enough) })
			}
		},
	}, enough
}

// serveUntilStopped serves on ln until ctx is done (SIGINT or SIGTERM),
// until enough is closed or until the server fails, then shuts it down.
func serveUntilStopped(ctx context.Context, srv *http.Server, ln net.Listener, enough <-chan struct{}) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case <-enough:
	case err := <-served:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	return nil
}

// writeReports writes the report to -report and -report-json, or the text
// report to stdout when neither is given, redacted; 1 when one fails.
func (o *serveOptions) writeReports(rep *server.Report, red *redact.Redactor, stdout, stderr io.Writer) int {
	code := 0
	write := func(name string, f func(io.Writer) error) {
		out, err := os.Create(name)
		if err == nil {
			rw := red.Writer(out)
			err = f(rw)
			if ferr := rw.Flush(); err == nil {
				err = ferr
			}
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "conform serve: writing the report: %v\n", err)
			code = 1
		}
	}
	if o.reportText != "" {
		write(o.reportText, rep.WriteText)
	}
	if o.reportJSON != "" {
		write(o.reportJSON, rep.WriteJSON)
	}
	if o.reportText == "" && o.reportJSON == "" {
		if err := rep.WriteText(stdout); err != nil {
			code = 1
		}
	}
	return code
}

// checkLoopback refuses a listen address that is not loopback unless
// allowed: serve is a test double holding a real secret.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %v", addr, err)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address; add -allow-remote to serve other hosts", addr)
}

// verifyingVariant checks that name (or scheme:name) is a variant of s that
// verifies, and returns its plain name; the error lists those that do.
func verifyingVariant(s sigconform.Scheme, name string) (string, error) {
	if len(name) > 100 {
		return "", fmt.Errorf("-variant: %d bytes is no variant name", len(name))
	}
	if sch, n, ok := strings.Cut(name, ":"); ok && sch == s.Name() {
		name = n
	}
	var known []string
	for _, v := range s.Variants() {
		if !v.Verifies {
			continue
		}
		if v.Name == name {
			return name, nil
		}
		known = append(known, v.Name)
	}
	if len(known) == 0 {
		return "", fmt.Errorf("-variant %q: scheme %s has no verifying variant", name, s.Name())
	}
	return "", fmt.Errorf("-variant %q is not a verifying variant of %s; those are: %s", name, s.Name(), strings.Join(known, ", "))
}
