// Package vecreq turns a sigconform request into the net/http request a Go
// client library signs, and holds what the adapters in this module share.
// It never signs anything itself.
package vecreq

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
)

// Unsupported returns an error that the adapter protocol reports as
// "unsupported" (a skipped case).
func Unsupported(format string, args ...any) error {
	return unsupported(fmt.Sprintf(format, args...))
}

// unsupported is an error that is suites.ErrUnsupported and says why
// without repeating the word, which the protocol's "unsupported" field
// already says.
type unsupported string

func (u unsupported) Error() string        { return string(u) }
func (u unsupported) Is(target error) bool { return target == suites.ErrUnsupported }

// Serve answers sigconform-adapter/v1 requests on standard input until it
// ends.
func Serve(impl adapter.Impl) {
	log.SetFlags(0)
	if err := adapter.ServeLines(context.Background(), impl, os.Stdin, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// Time parses the context's RFC 3339 time.
func Time(c sigconform.Context) (time.Time, error) {
	if c.Time == "" {
		return time.Time{}, Unsupported("the case gives no context.time and the library needs a signing time")
	}
	t, err := time.Parse(time.RFC3339, c.Time)
	if err != nil {
		return time.Time{}, fmt.Errorf("context.time: %v", err)
	}
	return t, nil
}

// Parts is a raw URL split without decoding or re-encoding anything.
type Parts struct {
	Scheme, Host, Path, RawQuery string
	HasQuery                     bool
}

// Split splits raw into scheme, authority, path and query, dropping a
// fragment. Nothing is decoded.
func Split(raw string) (Parts, error) {
	var p Parts
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return p, fmt.Errorf("url %q has no scheme://", raw)
	}
	p.Scheme = strings.ToLower(scheme)
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, p.RawQuery, p.HasQuery = rest[:i], rest[i+1:], true
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		p.Host, p.Path = rest[:i], rest[i:]
	} else {
		p.Host = rest
	}
	if p.Host == "" {
		return p, fmt.Errorf("url %q has no host", raw)
	}
	return p, nil
}

// OpaqueRequest builds the *http.Request a Go program hands to an AWS SDK
// signer for this vector, following the SDKs' own advice for signing
// outside the SDK ("Pre-escaping a request URI" in the package docs of
// aws-sdk-go and aws-sdk-go-v2 aws/signer/v4): the path is given as
// URL.Opaque = "//host/path", exactly as the vector writes it, so that
// net/url neither decodes nor re-escapes it. The query is URL.RawQuery as
// written. A Host header becomes Request.Host (net/http sends Request.Host as
// the Host header and ignores Header["Host"]); a Content-Length header sets
// Request.ContentLength too (net/http sends that, not
// Header["Content-Length"]). Every other header is added with Header.Add,
// in order.
func OpaqueRequest(ctx context.Context, in sigconform.Request) (*http.Request, error) {
	p, err := Split(in.URL)
	if err != nil {
		return nil, err
	}
	u := &url.URL{Scheme: p.Scheme, Host: p.Host, Opaque: "//" + p.Host + p.Path, RawQuery: p.RawQuery}
	req := &http.Request{
		Method:     in.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header),
	}
	req = req.WithContext(ctx)
	if err := setHeaders(req, in.Headers); err != nil {
		return nil, err
	}
	if in.Body != "" {
		req.Body = io.NopCloser(strings.NewReader(in.Body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(in.Body)), nil }
	}
	return req, nil
}

func setHeaders(req *http.Request, hs []sigconform.Header) error {
	for _, h := range hs {
		switch {
		case strings.EqualFold(h.Name, "Host"):
			if req.Host != "" {
				return Unsupported("two Host headers: net/http sends one (Request.Host)")
			}
			req.Host = h.Value
			continue
		case strings.EqualFold(h.Name, "Content-Length"):
			n, err := strconv.ParseInt(strings.TrimSpace(h.Value), 10, 64)
			if err != nil {
				return Unsupported("Content-Length %q is not a number net/http can send", h.Value)
			}
			req.ContentLength = n
		}
		req.Header.Add(h.Name, h.Value)
	}
	return nil
}

// ParsedRequest builds the request with url.Parse, the way aws-sdk-go v1's
// request.New builds HTTPRequest from an endpoint (URL.Path decoded,
// URL.RawPath kept when net/url needs it).
func ParsedRequest(ctx context.Context, in sigconform.Request) (*http.Request, error) {
	raw := in.URL
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, Unsupported("net/url cannot parse the URL: %v", err)
	}
	req := &http.Request{
		Method: in.Method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: make(http.Header),
	}
	req = req.WithContext(ctx)
	if err := setHeaders(req, in.Headers); err != nil {
		return nil, err
	}
	if in.Body != "" {
		req.Body = io.NopCloser(strings.NewReader(in.Body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(in.Body)), nil }
	}
	return req, nil
}

// Added lists the headers of after that before did not have with the same
// values: what the signer added or set. Names are as net/http keeps them
// (canonical form); a name with several values gives one entry per value.
func Added(before, after http.Header) []sigconform.Header {
	var out []sigconform.Header
	for _, name := range sortedKeys(after) {
		vs := after[name]
		if equal(before[name], vs) {
			continue
		}
		for _, v := range vs {
			out = append(out, sigconform.Header{Name: name, Value: v})
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Bool reads an optional context switch, with its default.
func Bool(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
