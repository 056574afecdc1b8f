// Package adapter speaks sigconform's adapter protocol: how conform asks an
// implementation written in any language to sign or verify one request, over
// a subprocess's standard input and output (one JSON message per line) or
// as HTTP POST bodies. docs/protocol.md describes the protocol, and
// docs/protocol.schema.json is its JSON Schema.
//
// Process and HTTP are the runner's side: they implement suites.Signer and
// suites.Verifier by talking to an adapter. ServeLines and Handler are the
// adapter's side, for writing an adapter in Go.
package adapter

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
)

// Version is the protocol version carried in every request.
const Version = "sigconform-adapter/v1"

// The operations a request asks for.
const (
	OpSign   = "sign"
	OpVerify = "verify"
)

// MaxMessage is the largest message either side accepts, in bytes. The
// largest request in the corpus is a few tens of KiB.
const MaxMessage = 1 << 20

// readLine reads one message line from r, refusing one longer than
// MaxMessage (what names the message) rather than buffering without bound.
// A last line that ends without its newline comes with io.ErrUnexpectedEOF.
func readLine(r *bufio.Reader, what string) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxMessage {
			return nil, fmt.Errorf("a %s line longer than %d bytes", what, MaxMessage)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(buf) > 0:
			return buf, io.ErrUnexpectedEOF
		case err != nil:
			return nil, err
		}
		return buf, nil
	}
}

// Request asks the adapter to sign or verify one request.
type Request struct {
	Protocol    string                 `json:"protocol"`
	ID          string                 `json:"id"`
	Op          string                 `json:"op"`
	Scheme      string                 `json:"scheme"`
	Credentials sigconform.Credentials `json:"credentials"`
	Request     sigconform.Request     `json:"request"`
	Context     sigconform.Context     `json:"context"`
}

// Input is the request's signing input.
func (r *Request) Input() sigconform.Input {
	return sigconform.Input{Scheme: r.Scheme, Credentials: r.Credentials, Request: r.Request, Context: r.Context}
}

// Response is the adapter's answer. Exactly one of Result, Verdict,
// Unsupported and Error is set.
type Response struct {
	// ID repeats the request's id; an answer for another id is refused.
	ID string `json:"id"`
	// Result answers a sign request.
	Result *Result `json:"result,omitempty"`
	// Verdict answers a verify request.
	Verdict *sigconform.Verdict `json:"verdict,omitempty"`
	// Unsupported says why the adapter does not implement this case; the
	// report counts it as skipped, not failed.
	Unsupported string `json:"unsupported,omitempty"`
	// Error says the adapter failed on this case; the report counts the
	// implementation as broken for it.
	Error string `json:"error,omitempty"`
}

// Result is what a signer produced. Stages maps stage names (as the
// scheme's reference names them) to the adapter's intermediate strings; any
// it reports are compared, so a divergence is placed at its first stage.
type Result struct {
	Signature string              `json:"signature"`
	URL       string              `json:"url,omitempty"`
	Headers   []sigconform.Header `json:"headers,omitempty"`
	Stages    map[string]string   `json:"stages,omitempty"`
}

// toResult converts the wire form to a sigconform.Result, with the stages
// in the scheme's order (a JSON object has none), so that a report is the
// same from run to run.
func (r *Result) toResult(schemeName string) sigconform.Result {
	out := sigconform.Result{Signature: r.Signature, URL: r.URL, Headers: r.Headers}
	var order []string
	if s, ok := scheme.Lookup(schemeName); ok {
		order = s.Stages()
	}
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	for name, v := range r.Stages {
		out.Stages = append(out.Stages, sigconform.Stage{Name: name, Value: v})
	}
	slices.SortFunc(out.Stages, func(a, b sigconform.Stage) int {
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// fromResult converts a sigconform.Result to the wire form.
func fromResult(r sigconform.Result) *Result {
	out := &Result{Signature: r.Signature, URL: r.URL, Headers: r.Headers}
	if len(r.Stages) > 0 {
		out.Stages = make(map[string]string, len(r.Stages))
		for _, s := range r.Stages {
			out.Stages[s.Name] = s.Value
		}
	}
	return out
}
