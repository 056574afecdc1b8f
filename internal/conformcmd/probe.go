package conformcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/redact"
	"github.com/sigconform/sigconform/server/probe"
)

const probeUsage = `usage: conform probe -scheme S -target URL -access-key K (-secret-env NAME | -secret-file PATH)
                     [-rate 20] [-max 200] [-timeout 10s] [-accept-status 200-299]
                     [-per-topic 3] [-tamper-each] [-path-prefix /P]
                     [-accept-error-code C,...] [-unchecked-code C,...]
                     [-s3 [-region R]] [-label NAME]
                     [-report-json F]

Sends to the one server named by -target (its scheme and host:port; never
to any other host) a correct request for each of a handful of the scheme's
sign vectors per topic, re-signed with your credentials and keeping each
vector's path and query, and copies of them tampered with as the verify
vectors are (one bit, URL-safe Base64, padding removed, case swapped,
another secret, an unknown key, a parameter added or removed, expired,
signature or key missing). It reads each verdict from the status code
(-accept-status; a CloudStack console's 200 "Access denied" is a refusal)
and reports every tampering the server ACCEPTED that the reference refuses
and every request it REFUSED that the reference accepts. Keys are never
printed.

Exit codes: 0 the server decides as the reference, 1 it does not (or some
requests got no answer), 2 usage error.

flags:
`

func cmdProbe(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform probe: "+format+"\n", a...)
		return 2
	}
	o, err := parseProbeFlags(args, stderr)
	if errors.Is(err, errFlags) {
		return 2
	}
	if err != nil {
		return fail("%v", err)
	}
	secret := o.secret
	s := o.scheme
	creds := sigconform.Credentials{AccessKey: o.accessKey, SecretKey: secret}
	probes, skipped, err := probe.Plan(probe.Config{Scheme: s, Target: o.target, Credentials: creds, PerTopic: o.perTopic,
		TamperEach: o.tamperEach, PathPrefix: o.pathPrefix, S3Region: o.s3Region})
	if err != nil {
		return fail("%v", err)
	}
	notSent := 0
	if len(probes) > o.max {
		notSent = len(probes) - o.max
		probes = probes[:o.max]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results := probe.Send(ctx, probes, probe.Options{Scheme: s.Name(), Target: o.target, Rate: o.rate, Timeout: o.timeout,
		Accept: o.accept, AcceptCodes: o.acceptCodes, UncheckedCodes: o.uncheckedCodes, MaxNoAnswer: o.maxNoAnswer})
	notSent += len(probes) - len(results)
	rep := probe.NewReport(s.Name(), o.target.String(), results, skipped, notSent)
	rep.Implementation = o.label
	if len(results) < len(probes) && ctx.Err() == nil {
		rep.GaveUp = fmt.Sprintf("gave up after %d requests in a row got no answer (-max-no-answer); the last: %s", o.maxNoAnswer, results[len(results)-1].Error)
	}
	if err := o.writeReport(rep, creds, stdout); err != nil {
		return fail("%v", err)
	}
	// A probe that sent nothing checked nothing: that is not a pass.
	if len(results) == 0 {
		fmt.Fprintln(stderr, "conform probe: no request was sent, so nothing was checked (see the skipped vectors above)")
		return 2
	}
	if rep.Conformant {
		return 0
	}
	return 1
}

// probeOptions are conform probe's flags, checked.
type probeOptions struct {
	scheme                sigconform.Scheme
	target                *url.URL // scheme and host only
	accessKey             string
	secretEnv, secretFile string
	secret                string // read from -secret-env or -secret-file, never a flag
	rate                  float64
	max                   int
	timeout               time.Duration
	accept                []probe.StatusRange
	perTopic              int // -1: every sign vector
	tamperEach            bool
	pathPrefix            string
	s3Region              string // "" unless -s3
	acceptCodes           []string
	uncheckedCodes        []string
	label                 string
	reportJSON            string
	maxNoAnswer           int
}

func parseProbeFlags(args []string, stderr io.Writer) (*probeOptions, error) {
	fs := flag.NewFlagSet("conform probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, probeUsage); fs.PrintDefaults() }
	o := &probeOptions{}
	schemeName := fs.String("scheme", "", "the scheme: cloudstack, zstack, sigv4 or sigv2")
	target := fs.String("target", "", "the server to probe: http(s)://host[:port] (a path is ignored)")
	fs.StringVar(&o.accessKey, "access-key", "", "your access key (API key) on the target")
	fs.StringVar(&o.secretEnv, "secret-env", "", "read the secret key from this environment variable")
	fs.StringVar(&o.secretFile, "secret-file", "", "read the secret key from this file")
	fs.Float64Var(&o.rate, "rate", 20, "requests per second at most")
	fs.IntVar(&o.max, "max", 200, "send at most this many requests")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "time allowed for each request")
	acceptStatus := fs.String("accept-status", "", "status codes meaning accepted, e.g. 200-299 or 200,202 (default per scheme: 200-299)")
	fs.IntVar(&o.perTopic, "per-topic", 3, "correct requests taken from each vector topic, 0 for every sign vector (the first of each topic is also tampered with)")
	fs.BoolVar(&o.tamperEach, "tamper-each", false, "tamper with every correct request, not only the first of each topic")
	fs.StringVar(&o.pathPrefix, "path-prefix", "", "put this path (e.g. /bucket) before each vector's path, so that requests reach a route that checks signatures")
	acceptCodes := fs.String("accept-error-code", "", "comma-separated error codes (<Code> of an XML error answer) that mean the signature was accepted, e.g. NoSuchKey,NoSuchBucket")
	s3 := fs.Bool("s3", false, "sigv4: sign and check as an S3 client and server do (service s3, the path kept as sent, x-amz-content-sha256 signed, UNSIGNED-PAYLOAD presigned)")
	region := fs.String("region", "us-east-1", "with -s3: the server's region")
	uncheckedCodes := fs.String("unchecked-code", "", "comma-separated error codes a server answers before it checks a signature (e.g. a path its router refuses): such a request is reported unchecked, neither accepted nor refused")
	fs.StringVar(&o.label, "label", "", "name the server in the JSON report (e.g. versitygw v1.8.0)")
	fs.StringVar(&o.reportJSON, "report-json", "", "also write the JSON report to this file")
	fs.IntVar(&o.maxNoAnswer, "max-no-answer", 5, "give up after this many requests in a row get no answer (0: never)")
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
	u, err := url.Parse(*target)
	if *target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errors.New("-target needs the server's http:// or https:// URL, e.g. http://127.0.0.1:8080")
	}
	o.target = &url.URL{Scheme: u.Scheme, Host: u.Host}
	if o.accessKey == "" {
		return nil, errors.New("give your access key with -access-key")
	}
	if o.rate <= 0 || o.rate > 1000 {
		return nil, errors.New("-rate must be more than 0 and at most 1000 requests per second")
	}
	if o.max < 1 {
		return nil, errors.New("-max must be at least 1")
	}
	if o.timeout <= 0 {
		return nil, errors.New("-timeout must be positive")
	}
	if o.perTopic < 0 {
		return nil, errors.New("-per-topic must be 0 (every vector) or more")
	}
	if o.perTopic == 0 {
		o.perTopic = -1
	}
	if err := probe.CheckPathPrefix(o.pathPrefix); err != nil {
		return nil, fmt.Errorf("-path-prefix: %v", err)
	}
	if *s3 {
		if *region == "" {
			return nil, errors.New("-s3 needs a -region")
		}
		o.s3Region = *region
	}
	o.acceptCodes, o.uncheckedCodes = splitCodes(*acceptCodes), splitCodes(*uncheckedCodes)
	if *acceptStatus == "" {
		*acceptStatus = probe.DefaultAcceptStatus(s.Name())
	}
	if o.accept, err = probe.ParseStatusRanges(*acceptStatus); err != nil {
		return nil, fmt.Errorf("-accept-status: %v", err)
	}
	if o.secret, err = readSecret(o.secretEnv, o.secretFile); err != nil {
		return nil, err
	}
	return o, nil
}

// writeReport writes the text report to stdout and the JSON one to
// -report-json, both without the keys.
func (o *probeOptions) writeReport(rep *probe.Report, creds sigconform.Credentials, stdout io.Writer) error {
	summary := func(name string) string {
		v, _ := sigconform.LookupVariant(o.scheme, name)
		return v.Summary
	}
	var text strings.Builder
	if err := rep.WriteText(&text, summary); err != nil {
		return err
	}
	fmt.Fprint(stdout, scrubKeys(text.String(), creds))
	if o.reportJSON == "" {
		return nil
	}
	var b strings.Builder
	if err := rep.WriteJSON(&b); err != nil {
		return err
	}
	return os.WriteFile(o.reportJSON, []byte(scrubKeys(b.String(), creds)), 0o644)
}

// scrubKeys removes both keys from a report, in case an error message
// quoted a URL.
func scrubKeys(s string, c sigconform.Credentials) string {
	return redact.New(c.SecretKey, c.AccessKey).String(s)
}

// splitCodes reads a comma-separated list of error codes.
func splitCodes(list string) []string {
	var codes []string
	for _, c := range strings.Split(list, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}
