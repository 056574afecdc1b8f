// Package server is the HTTP side of conform serve: it turns a request as a
// Go HTTP server receives it into a sigconform.Request, checks it with a
// reference scheme (and, when lenient, its known variants), explains every
// refusal, and answers as the scheme's real server does.
package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
)

// MaxBody is the largest request body the server reads: a larger one is
// answered 413 and not verified.
const MaxBody = 1 << 20

// FromHTTP builds the request a verifier checks from r as received and its
// body (already read). scheme is "http" or "https", the scheme the server
// was reached by.
//
// The URL is the request target exactly as it came on the request line
// (r.RequestURI: not parsed, not re-encoded), made absolute with scheme and
// r.Host unless the client sent an absolute URL. The headers start with
// Host (r.Host, which net/http takes out of r.Header); the others follow
// in the order net/http keeps them: it stores them in a map, so the order
// between different names is lost and they are written sorted by name,
// while the values of a repeated name keep the order they came in. Names
// are as net/http canonicalizes them (x-amz-date becomes X-Amz-Date),
// which the schemes compare without regard to case. Transfer-Encoding,
// which net/http also takes out, is not there.
func FromHTTP(r *http.Request, body []byte, scheme string) sigconform.Request {
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		if scheme == "" {
			scheme = "http"
		}
		target = scheme + "://" + r.Host + target
	}
	headers := []sigconform.Header{{Name: "Host", Value: r.Host}}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		if strings.EqualFold(name, "Host") {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			headers = append(headers, sigconform.Header{Name: name, Value: v})
		}
	}
	return sigconform.Request{Method: r.Method, URL: target, Headers: headers, Body: string(body)}
}

// ToHTTP builds the HTTP request a client sends for req: the URL as
// written (its query and escaped path kept as they are), each header under
// the name as written (not canonicalized), Host as the request's Host.
func ToHTTP(req sigconform.Request) (*http.Request, error) {
	hr, err := http.NewRequest(req.Method, req.URL, strings.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	if req.Body == "" {
		hr.Body = http.NoBody
		hr.ContentLength = 0
	}
	for _, h := range req.Headers {
		switch {
		case strings.EqualFold(h.Name, "Host"):
			hr.Host = h.Value
		case strings.EqualFold(h.Name, "Content-Length"):
			// net/http writes it from the body.
		default:
			hr.Header[h.Name] = append(hr.Header[h.Name], h.Value)
		}
	}
	if _, ok := hr.Header["User-Agent"]; !ok {
		hr.Header["User-Agent"] = []string{"sigconform-probe"}
	}
	return hr, nil
}
