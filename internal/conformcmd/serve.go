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
	fs := flag.NewFlagSet("conform serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	schemeName := fs.String("scheme", "", "the scheme: cloudstack, zstack, sigv4 or sigv2")
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback unless -allow-remote)")
	allowRemote := fs.Bool("allow-remote", false, "allow a -listen address that is not loopback")
	urlFile := fs.String("url-file", "", "once listening, write the server's URL to this file (for scripts)")
	accessKey := fs.String("access-key", "", "the access key (API key) the server knows")
	secretEnv := fs.String("secret-env", "", "read the secret key from this environment variable")
	secretFile := fs.String("secret-file", "", "read the secret key from this file")
	strict := fs.Bool("strict", false, "accept only what the reference accepts (the default)")
	lenient := fs.Bool("lenient", false, "also accept a request that a known variant accepts or produced, and record which")
	asVariant := fs.String("variant", "", "verify as this known buggy server does (a verifying variant: conform variants lists them), to reproduce a reported refusal")
	reportText := fs.String("report", "", "write the text report to this file when stopping")
	reportJSON := fs.String("report-json", "", "write the JSON report to this file when stopping")
	maxRequests := fs.Int("max-requests", 0, "stop after this many requests (0: until SIGINT or SIGTERM)")
	region := fs.String("region", "", "sigv4: the region the credential scope must name (default: any)")
	service := fs.String("service", "", "sigv4: the service the credential scope must name (default: any)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform serve: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	s, err := lookupScheme(*schemeName)
	if err != nil {
		return fail("%v", err)
	}
	dialect, ok := server.DialectFor(s.Name())
	if !ok {
		return fail("scheme %s has no server dialect", s.Name())
	}
	if *strict && *lenient {
		return fail("give -strict or -lenient, not both")
	}
	if *asVariant != "" {
		if *strict || *lenient {
			return fail("-variant decides as that variant does: give it without -strict or -lenient")
		}
		name, err := verifyingVariant(s, *asVariant)
		if err != nil {
			return fail("%v", err)
		}
		*asVariant = name
	}
	if *accessKey == "" {
		return fail("give the access key the server knows with -access-key")
	}
	if *maxRequests < 0 {
		return fail("-max-requests must not be negative")
	}
	if (*region != "" || *service != "") && s.Name() != "sigv4" {
		return fail("-region and -service are for -scheme sigv4")
	}
	secret, err := readSecret(*secretEnv, *secretFile)
	if err != nil {
		return fail("%v", err)
	}
	// Everything serve prints or writes from here on may quote what a
	// client sent, and a client may send the secret itself (in a query
	// parameter, percent-encoded, lowercased into a command string): all of
	// it goes through one redactor.
	red := redact.New(secret)
	redErr, redOut := red.Writer(stderr), red.Writer(stdout)
	defer redErr.Flush()
	defer redOut.Flush()
	stderr, stdout = redErr, redOut
	if err := checkLoopback(*listen, *allowRemote); err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail("%v", err)
	}
	mode := "strict"
	if *lenient {
		mode = "lenient"
	}
	if *asVariant != "" {
		mode = "as variant " + *asVariant
	}
	u := "http://" + ln.Addr().String()
	rep := &server.Report{Scheme: s.Name(), Mode: mode, URL: u, Started: time.Now().UTC().Format(time.RFC3339)}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	enough := make(chan struct{})
	var (
		mu       sync.Mutex
		stopOnce sync.Once
	)
	h := &server.Handler{
		Checker: server.Checker{
			Scheme:      s,
			Credentials: sigconform.Credentials{AccessKey: *accessKey, SecretKey: secret},
			Lenient:     *lenient,
			AsVariant:   *asVariant,
			Context:     sigconform.Context{Region: *region, Service: *service},
		},
		Dialect: dialect,
		Record: func(e server.Entry) {
			mu.Lock()
			defer mu.Unlock()
			rep.Add(e)
			fmt.Fprintf(stderr, "conform serve: #%d %s\n", e.Seq, e.Line())
			if *maxRequests > 0 && rep.Requests >= *maxRequests {
				stopOnce.Do(func() { close(enough) })
			}
		},
	}
	srv := server.NewHTTPServer(h)
	fmt.Fprintf(stderr, "conform serve: %s (%s) serving on %s\n", s.Name(), mode, u)
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(u+"\n"), 0o644); err != nil {
			ln.Close()
			return fail("%v", err)
		}
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case <-enough:
	case err := <-served:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "conform serve: %v\n", err)
			return 1
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)

	mu.Lock()
	defer mu.Unlock()
	rep.Stopped = time.Now().UTC().Format(time.RFC3339)
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
	if *reportText != "" {
		write(*reportText, rep.WriteText)
	}
	if *reportJSON != "" {
		write(*reportJSON, rep.WriteJSON)
	}
	if *reportText == "" && *reportJSON == "" {
		if err := rep.WriteText(stdout); err != nil {
			code = 1
		}
	}
	fmt.Fprintf(stderr, "conform serve: stopped after %d requests (%d accepted, %d refused)\n", rep.Requests, rep.Accepted, rep.Refused)
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
