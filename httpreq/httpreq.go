// Package httpreq turns HTTP requests into sigconform.Requests and back:
// Parse reads one as a person pastes it (a URL, or raw HTTP/1.x), for
// conform explain; New and NewOpaque build the *http.Request that a
// sigconform.Request describes, for testing a Go signer that signs net/http
// requests.
//
// http.NewRequest is the wrong tool for that: it sets ContentLength from the
// body, so a signer that signs the length (as the AWS SDKs do when
// ContentLength > 0) signs a Content-Length header the vector does not have,
// and it parses the URL, which may re-encode the path. The requests built
// here carry the vector's request as closely as net/http can hold it:
//
//   - The body is the vector's body; an empty body is a nil Body.
//   - ContentLength is the vector's Content-Length header, or 0 when the
//     vector has none, whatever the body's length. (Sent as is, such a
//     request goes out chunked.)
//   - A Host header becomes Request.Host, which net/http sends as the Host
//     header; without one, Request.Host is empty and net/http sends
//     URL.Host.
//   - Every other header, Content-Length included, is added with
//     Header.Add in the vector's order.
//   - The query is URL.RawQuery exactly as written; a fragment is dropped.
//
// What net/http cannot hold is lost: header names are canonicalized
// (x-amz-date becomes X-Amz-Date), the order of headers of different names
// is not kept (Header is a map; values of one name keep their order), and
// there is one Host. A request with two Host headers, or a Content-Length
// that is not a decimal number, is refused with an error.
//
// An error from New or NewOpaque means that net/http cannot express the
// case, not that the signer is wrong; a suites.Signer returns it wrapped in
// suites.ErrUnsupported so that the case is skipped.
package httpreq

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
)

// New returns the request r describes with its URL parsed by url.Parse, as
// http.NewRequest parses it: URL.Path is decoded and URL.RawPath keeps the
// path as written where it is a valid encoding, so URL.EscapedPath returns
// it. Use it for a signer that reads URL.Path or URL.EscapedPath.
func New(ctx context.Context, r sigconform.Request) (*http.Request, error) {
	u, err := url.Parse(dropFragment(r.URL))
	if err != nil {
		return nil, fmt.Errorf("net/url cannot parse the URL: %v", err)
	}
	return build(ctx, r, u)
}

// NewOpaque returns the request r describes with the path as written, in
// URL.Opaque ("//host/path"), so that net/url neither decodes nor
// re-encodes it. This is how the AWS SDKs for Go say to sign a request
// whose path is already escaped ("Pre-escaping a request URI" in the
// aws-sdk-go-v2 aws/signer/v4 package documentation). URL.Path is empty:
// use it only with a signer that reads URL.Opaque.
func NewOpaque(ctx context.Context, r sigconform.Request) (*http.Request, error) {
	raw := dropFragment(r.URL)
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return nil, fmt.Errorf("url %q has no scheme://", raw)
	}
	u := &url.URL{Scheme: strings.ToLower(scheme)}
	rest, u.RawQuery, u.ForceQuery = strings.Cut(rest, "?")
	host, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	if host == "" {
		return nil, fmt.Errorf("url %q has no host", raw)
	}
	u.Host, u.Opaque = host, "//"+host+path
	// ForceQuery only matters for a "?" with nothing after it: it keeps
	// URL.String from dropping the "?".
	u.ForceQuery = u.ForceQuery && u.RawQuery == ""
	return build(ctx, r, u)
}

func dropFragment(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	return raw
}

func build(ctx context.Context, r sigconform.Request, u *url.URL) (*http.Request, error) {
	req := &http.Request{
		Method:     r.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header),
	}
	req = req.WithContext(ctx)
	host := false
	for _, h := range r.Headers {
		switch {
		case strings.EqualFold(h.Name, "Host"):
			if host {
				return nil, fmt.Errorf("two Host headers: net/http sends one (Request.Host)")
			}
			req.Host, host = h.Value, true
			// net/http ignores Header["Host"] when sending, so it is
			// not added: a signer reads Request.Host.
			continue
		case strings.EqualFold(h.Name, "Content-Length"):
			n, err := strconv.ParseInt(strings.TrimSpace(h.Value), 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("Content-Length %q is not a length net/http can send", h.Value)
			}
			req.ContentLength = n
		}
		req.Header.Add(h.Name, h.Value)
	}
	if r.Body != "" {
		body := r.Body
		req.Body = io.NopCloser(strings.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	}
	return req, nil
}
