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
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/server"
	"github.com/sigconform/sigconform/suites"
)

const adapterUsage = `usage: conform adapter (-stdio | -listen ADDR) [-variant NAME,...]

Serves the built-in reference implementation as an adapter: the reference
that conform run -exec and -http talk to, and a model for writing one.
With -variant it behaves as those known variants, like a buggy adapter.

flags:
`

func cmdAdapter(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform adapter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, adapterUsage); fs.PrintDefaults() }
	stdio := fs.Bool("stdio", false, "answer requests on standard input, one JSON line each, on standard output")
	listen := fs.String("listen", "", "serve HTTP on this address (default loopback only, e.g. 127.0.0.1:9000)")
	variant := fs.String("variant", "", "behave as these known variants (comma-separated)")
	concurrency := fs.Int("concurrency", 1, "with -stdio: answer up to this many requests at once, out of order (docs/protocol.md)")
	urlFile := fs.String("url-file", "", "with -listen: once listening, write the adapter's URL to this file (for scripts)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := suites.CheckVariants(split(*variant), nil); err != nil {
		fmt.Fprintf(stderr, "conform adapter: %v\n", err)
		return 2
	}
	impl := suites.Reference{Variants: split(*variant)}
	switch {
	case *stdio == (*listen != ""):
		fmt.Fprintln(stderr, "conform adapter: give exactly one of -stdio and -listen")
		return 2
	case *stdio:
		if err := adapter.ServeLinesConcurrent(context.Background(), impl, stdin, stdout, *concurrency); err != nil {
			fmt.Fprintf(stderr, "conform adapter: %v\n", err)
			return 1
		}
		return 0
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "conform adapter: %v\n", err)
		return 2
	}
	u := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "conform adapter: serving on %s\n", u)
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(u), 0o644); err != nil {
			fmt.Fprintf(stderr, "conform adapter: %v\n", err)
			return 1
		}
	}
	srv := server.NewHTTPServer(adapter.Handler(impl))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "conform adapter: %v\n", err)
		return 1
	}
	return 0
}
