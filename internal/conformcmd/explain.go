package conformcmd

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/httpreq"
	"github.com/sigconform/sigconform/internal/redact"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/suites"
)

const explainUsage = `usage: conform explain [-scheme S] (-secret-env NAME | -secret-file PATH) REQUEST

Says whether the signature a request carries is right for the scheme's
reference algorithm and, when it is not, which known variant produced it and
at which stage it diverges; when it is right, which known servers (verifying
variants) refuse it all the same.

REQUEST is a signed URL (with its signature parameter), a file (PATH or
@PATH) holding a raw HTTP request (request line, headers, blank line, body)
or a URL, or - to read either from standard input. The secret key is read from an environment variable or
a file, never from the command line, and is never printed.

Exit codes: 0 the signature is right, 1 it is not, 2 usage or input error.

flags:
`

func cmdExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, explainUsage); fs.PrintDefaults() }
	schemeName := fs.String("scheme", "", "the scheme (default: detected from the request)")
	secretEnv := fs.String("secret-env", "", "read the secret key from this environment variable")
	secretFile := fs.String("secret-file", "", "read the secret key from this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform explain: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() != 1 {
		return fail("give one REQUEST: a signed URL, a file (PATH or @PATH) or -")
	}
	secret, err := readSecret(*secretEnv, *secretFile)
	if err != nil {
		return fail("%v", err)
	}
	req, err := readRequest(fs.Arg(0), stdin)
	if err != nil {
		return fail("%v", err)
	}
	name := *schemeName
	if name == "" {
		if name, err = scheme.Detect(req); err != nil {
			return fail("%v; name it with -scheme", err)
		}
	}
	s, err := lookupScheme(name)
	if err != nil {
		return fail("%v", err)
	}
	ex, ok := s.(sigconform.ExplainingScheme)
	if !ok {
		return fail("scheme %s cannot explain signed requests yet", name)
	}
	in := sigconform.Input{Scheme: name, Credentials: sigconform.Credentials{SecretKey: secret}, Request: req}
	id, err := sigconform.IdentifySigned(ex, in)
	if err != nil {
		msg := scrub(err.Error(), secret)
		if !strings.HasPrefix(msg, name+":") {
			msg = name + ": " + msg
		}
		return fail("%s", msg)
	}
	w := &bytes.Buffer{}
	defer func() { _, _ = stdout.Write([]byte(scrub(w.String(), secret))) }()
	if id.Right() {
		fmt.Fprintf(w, "%s: the signature is right: it is what the reference algorithm computes for this request.\n", name)
		writeStages(w, id.Reference.Stages)
		writeRefusingServers(w, ex, in)
		return 0
	}
	fmt.Fprintf(w, "%s: the signature is NOT what the reference algorithm computes for this request.\n", name)
	fmt.Fprintf(w, "  the request carries %s\n  the reference signs %s\n", id.Given, id.Reference.Signature)
	if len(id.Matches) == 0 {
		fmt.Fprintf(w, "\nNo known variant of %s produces it. Either the secret key is not the one the sender used, or the sender canonicalizes the request in a way sigconform does not know yet.\n", name)
		writeStages(w, id.Reference.Stages)
		return 1
	}
	m := id.Matches[0]
	fmt.Fprintf(w, "\nIt was produced by the known variant %s: %s\n", m.Variant.Name, m.Variant.Summary)
	for _, r := range m.Variant.Refs {
		fmt.Fprintf(w, "  see %s\n", r)
	}
	writeDeparture(w, id.Reference.Stages, m)
	return 1
}

// writeDeparture shows the first stage where the variant's computation
// departs from the reference's, with the two strings.
func writeDeparture(w io.Writer, ref []sigconform.Stage, m sigconform.Match) {
	refValue, inRef := sigconform.Result{Stages: ref}.Stage(m.Stage)
	value, inVariant := sigconform.Result{Stages: m.Stages}.Stage(m.Stage)
	if !inRef || !inVariant {
		fmt.Fprintf(w, "\nEvery stage is the same as the reference's: it diverges in how the signature is written.\n")
		return
	}
	fmt.Fprintf(w, "\nIt diverges at stage %s: what the reference signs, and what the sender signed:\n", m.Stage)
	suites.WriteDiff(w, "  ", "reference", "sender", refValue, value)
}

func writeStages(w io.Writer, stages []sigconform.Stage) {
	for _, st := range stages {
		fmt.Fprintf(w, "\nThe reference's %s:\n", st.Name)
		for _, line := range strings.Split(st.Value, "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
}

// scrub removes the secret from anything about to be printed, in case some
// layer below quoted it.
func scrub(s, secret string) string {
	return redact.New(secret).String(s)
}

func readSecret(env, file string) (string, error) {
	switch {
	case env != "" && file != "":
		return "", errors.New("give -secret-env or -secret-file, not both")
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return "", fmt.Errorf("the environment variable %s is not set", env)
		}
		return v, nil
	case file != "":
		b, err := readSecretFile(file)
		if err != nil {
			return "", err
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", fmt.Errorf("%s is empty", file)
		}
		return v, nil
	}
	return "", errors.New("give the secret key with -secret-env NAME or -secret-file PATH (never on the command line)")
}

// maxSecret bounds a secret file: keys are tens of bytes, and a file that
// never ends (-secret-file /dev/zero) must not grow memory without bound.
const maxSecret = 64 << 10

// readSecretFile reads a secret key file: a regular file, or a pipe, so
// that a shell's process substitution (-secret-file <(pass show key)) keeps
// the key off the disk; never a device or a directory, and never more than
// maxSecret bytes.
func readSecretFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if m := fi.Mode(); !m.IsRegular() && m&os.ModeNamedPipe == 0 {
		return nil, fmt.Errorf("-secret-file %s: not a regular file or a pipe (%s)", name, m.Type())
	}
	b, err := readCapped(f, maxSecret)
	if err == errTooLarge {
		return nil, fmt.Errorf("-secret-file %s: more than %d KiB, not a secret key", name, maxSecret>>10)
	}
	return b, err
}

// readRequest reads REQUEST: a URL, a file (PATH or @PATH) or - (a URL or
// a raw HTTP request).
func readRequest(arg string, stdin io.Reader) (sigconform.Request, error) {
	var text string
	switch {
	case arg == "-":
		b, err := readAtMost(stdin, "standard input")
		if err != nil {
			return sigconform.Request{}, err
		}
		text = string(b)
	case strings.HasPrefix(arg, "@"):
		b, err := readRequestFile(arg[1:])
		if err != nil {
			return sigconform.Request{}, err
		}
		text = string(b)
	case httpreq.IsURL(arg) || strings.Contains(arg, "\n"):
		text = arg
	default:
		// A plain path names a file as @PATH does: people type the name
		// of the file they saved the request in.
		b, err := readRequestFile(arg)
		if errors.Is(err, os.ErrNotExist) {
			return sigconform.Request{}, fmt.Errorf("%q is not a URL (one starts with http:// or https://) and there is no such file; REQUEST is a signed URL, a file holding a raw HTTP request (PATH or @PATH), or - for standard input", arg)
		}
		if err != nil {
			return sigconform.Request{}, err
		}
		text = string(b)
	}
	return httpreq.Parse(text)
}

func readRequestFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAtMost(f, name)
}

// maxRequest bounds what explain reads: a request larger than this is
// refused rather than cut, which would change its verdict.
const maxRequest = 16 << 20

func readAtMost(r io.Reader, name string) ([]byte, error) {
	b, err := readCapped(r, maxRequest)
	if err == errTooLarge {
		return nil, fmt.Errorf("%s holds more than %d MiB: not a request explain reads", name, maxRequest>>20)
	}
	return b, err
}

// errTooLarge is readCapped's answer to more than its limit.
var errTooLarge = errors.New("too large")

// readCapped reads r to its end, or refuses it with errTooLarge once it
// holds more than limit bytes: cutting what is read would change it.
func readCapped(r io.Reader, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// lookupScheme is the reference scheme -scheme names, for the commands that
// need one.
func lookupScheme(name string) (sigconform.Scheme, error) {
	if name == "" {
		return nil, fmt.Errorf("give the scheme with -scheme (%s)", strings.Join(scheme.Names(), ", "))
	}
	s, ok := scheme.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown scheme %q (known: %s)", name, strings.Join(scheme.Names(), ", "))
	}
	return s, nil
}

// writeRefusingServers names the known server variants that refuse this
// correct request: the signature is right, yet a server with one of those
// bugs answers "access denied", and a client author who got that answer
// from such a server needs to know that the client is not at fault.
func writeRefusingServers(w io.Writer, s sigconform.ExplainingScheme, in sigconform.Input) {
	accepted, refusing, err := sigconform.RefusingVerifiers(s, in)
	if err != nil || !accepted || len(refusing) == 0 {
		return
	}
	fmt.Fprintf(w, "\nKnown servers that refuse this correct request all the same:\n")
	for _, v := range refusing {
		fmt.Fprintf(w, "  %s: %s\n", v.Name, v.Summary)
		for _, r := range v.Refs {
			fmt.Fprintf(w, "    see %s\n", r)
		}
	}
}
