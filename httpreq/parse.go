package httpreq

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
)

// IsURL reports whether s, less surrounding space, starts with http:// or
// https://: a request given as a URL alone rather than as raw HTTP.
func IsURL(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// Parse reads a request as a person would paste or save it: a URL alone,
// which is a GET with no headers, or a raw HTTP/1.x request (ParseRaw).
func Parse(text string) (sigconform.Request, error) {
	if trimmed := strings.TrimSpace(text); IsURL(trimmed) {
		return sigconform.Request{Method: "GET", URL: trimmed}, nil
	}
	return ParseRaw(text)
}

// ParseRaw reads a raw HTTP/1.x request: the request line, the headers,
// a blank line and the body. Line ends may be CRLF or LF; the headers are
// kept in order and as written (a value loses the spaces after its colon,
// nothing else). A Content-Length that the body is at least as long as says
// where the body ends; without a Content-Length, one final line end is taken
// to be the file's, not the body's. The request target is an absolute URL,
// or a path that the Host header completes as http://HOST/path.
func ParseRaw(text string) (sigconform.Request, error) {
	r := bufio.NewReader(strings.NewReader(text))
	first, err := r.ReadString('\n')
	first = strings.TrimRight(first, "\r\n")
	parts := strings.Fields(first)
	if len(parts) < 2 {
		return sigconform.Request{}, fmt.Errorf("not a URL and not an HTTP request: the first line is %q", first)
	}
	req := sigconform.Request{Method: parts[0]}
	target := parts[1]
	for err == nil {
		var line string
		line, err = r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return sigconform.Request{}, fmt.Errorf("not a header line: %q", line)
		}
		req.Headers = append(req.Headers, sigconform.Header{Name: name, Value: strings.TrimLeft(value, " \t")})
	}
	body, _ := io.ReadAll(r)
	req.Body = bodyOf(req, string(body))
	if IsURL(target) {
		req.URL = target
		return req, nil
	}
	host, ok := req.Header("Host")
	if !ok {
		return sigconform.Request{}, errors.New("the request has a path but no Host header")
	}
	req.URL = "http://" + host + target
	return req, nil
}

// bodyOf is the body of req given what follows its blank line.
func bodyOf(req sigconform.Request, rest string) string {
	if n, ok := req.Header("Content-Length"); ok {
		if size, err := strconv.Atoi(strings.TrimSpace(n)); err == nil && size >= 0 && size <= len(rest) {
			return rest[:size]
		}
		return rest
	}
	return strings.TrimSuffix(strings.TrimSuffix(rest, "\n"), "\r")
}
