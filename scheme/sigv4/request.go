package sigv4

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// parsedURL is a request URL split by hand. net/url is not used because it
// re-encodes and validates: a vector's URL may hold a raw space or UTF-8 in
// its path exactly as AWS's test suite writes the request line.
type parsedURL struct {
	scheme, authority, path, rawQuery string
}

func splitURL(raw string) (parsedURL, error) {
	var u parsedURL
	rest := raw
	if i := strings.Index(rest, "#"); i >= 0 {
		rest = rest[:i]
	}
	scheme, after, ok := strings.Cut(rest, "://")
	if !ok || scheme == "" {
		return u, fmt.Errorf("url %q is not absolute (scheme://host/path)", raw)
	}
	u.scheme = strings.ToLower(scheme)
	rest = after
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	u.authority, rest = rest[:end], rest[end:]
	if u.authority == "" {
		return u, fmt.Errorf("url %q has no host", raw)
	}
	u.path, u.rawQuery, _ = strings.Cut(rest, "?")
	return u, nil
}

// hostHeader is the Host value a client derives from the URL: the authority
// without userinfo and without the scheme's default port.
func (u parsedURL) hostHeader() string {
	h := u.authority
	if i := strings.LastIndex(h, "@"); i >= 0 {
		h = h[i+1:]
	}
	switch {
	case u.scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	case u.scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	}
	return h
}

// AmzDateFormat is the layout of X-Amz-Date (ISO 8601 basic, UTC).
const AmzDateFormat = "20060102T150405Z"

// AmzDate formats an RFC 3339 time as X-Amz-Date.
func AmzDate(rfc3339 string) (string, error) {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return "", fmt.Errorf("context.time: %w", err)
	}
	return t.UTC().Format(AmzDateFormat), nil
}

func parseAmzDate(s string) (time.Time, error) {
	return time.Parse(AmzDateFormat, s)
}

func headerValue(hs []sigconform.Header, name string) (string, bool) {
	for _, h := range hs {
		if strings.EqualFold(strings.TrimSpace(h.Name), name) {
			return h.Value, true
		}
	}
	return "", false
}

// isFormPost says whether a request carries its parameters in a form body,
// which is where the params-in-canonical-query verifier looked for them.
func isFormPost(r sigconform.Request) bool {
	ct, _ := headerValue(r.Headers, "Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(r.Method, "POST") &&
		strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// formDecode splits an application/x-www-form-urlencoded body as a web
// framework does ('+' is a space), which is how keystoneclient's caller
// (webob's req.params) saw the form parameters.
func formDecode(body string) []queryPair {
	var out []queryPair
	for _, piece := range strings.Split(body, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		out = append(out, queryPair{
			key:   percentDecode(strings.ReplaceAll(k, "+", " ")),
			value: percentDecode(strings.ReplaceAll(v, "+", " ")),
		})
	}
	return out
}

// errBadInput marks a signing input that cannot be signed.
var errBadInput = errors.New("sigv4")

func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadInput, fmt.Sprintf(format, args...))
}
