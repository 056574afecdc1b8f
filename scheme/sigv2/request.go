package sigv2

import (
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/sigconform/sigconform"
)

// request is an HTTP request taken apart the way Signature Version 2 looks
// at it.
type request struct {
	method    string
	scheme    string // "http", "https" or "" for a URL without one
	authority string // Host header, else the URL's host[:port], as written
	path      string // the URL's path as sent (still percent-encoded)
	params    []Param
	inBody    bool   // params came from a form body
	base      string // the URL without query or fragment, as written
	rawQuery  string
}

// parseRequest reads the parameters from the URL's query for GET and the
// like, and from the body for a POST whose Content-Type is
// application/x-www-form-urlencoded (or that has a body and no
// Content-Type): "The parameters can come from the GET URI or from the POST
// body (when Content-Type is application/x-www-form-urlencoded)" (AWS
// Signature Version 2 documentation).
func parseRequest(r sigconform.Request) (*request, error) {
	if r.Method == "" {
		return nil, errors.New("request has no method")
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, fmt.Errorf("request URL: %w", err)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("request URL %q has no path", r.URL)
	}
	req := &request{
		method:    r.Method,
		scheme:    u.Scheme,
		authority: u.Host,
		path:      u.EscapedPath(),
		rawQuery:  u.RawQuery,
		base:      r.URL,
	}
	if i := strings.IndexAny(req.base, "?#"); i >= 0 {
		req.base = req.base[:i]
	}
	if h, ok := r.Header("Host"); ok {
		req.authority = h
	}
	raw := u.RawQuery
	if formBody(r) {
		if u.RawQuery != "" {
			return nil, errors.New("POST form request also has a query string: Signature Version 2 reads one or the other")
		}
		raw, req.inBody = r.Body, true
	}
	if req.params, err = ParseQuery(raw); err != nil {
		return nil, err
	}
	if name, dup := duplicate(req.params); dup {
		return nil, fmt.Errorf("parameter %q given more than once", name)
	}
	return req, nil
}

func formBody(r sigconform.Request) bool {
	if !strings.EqualFold(r.Method, "POST") {
		return false
	}
	ct, ok := r.Header("Content-Type")
	if !ok {
		return r.Body != ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
