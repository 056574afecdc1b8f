// Package vecreq holds what the adapters in this module share: the adapter
// protocol loop, unsupported errors, and the net/http request a Go client
// library signs (built by the public package httpreq). It never signs
// anything itself.
package vecreq

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/httpreq"
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

// SigningRequest is what a SigV4 signer is handed: the case's signing
// time (Time) and its request with the path as written (OpaqueRequest).
func SigningRequest(ctx context.Context, in sigconform.Input) (time.Time, *http.Request, error) {
	t, err := Time(in.Context)
	if err != nil {
		return time.Time{}, nil, err
	}
	req, err := OpaqueRequest(ctx, in.Request)
	return t, req, err
}

// SignsSessionToken is unsupported for a case that sends the session token
// unsigned (context.omit_session_token) to library, which always signs it.
func SignsSessionToken(in sigconform.Input, library string) error {
	if in.Context.OmitSessionToken && in.Credentials.SessionToken != "" {
		return Unsupported("omit_session_token: %s signs the credentials' session token; the adapter knows no option of it that sends the token unsigned (aws-c-auth's omit_session_token)", library)
	}
	return nil
}

// Parts is a raw URL split without decoding or re-encoding anything.
type Parts struct {
	Scheme, Host, Path, RawQuery string
	HasQuery                     bool
}

// Split splits raw into scheme, authority, path and query, dropping a
// fragment. Nothing is decoded. It reads them from the request
// httpreq.NewOpaque builds, so that raw URLs are split one way in this
// module.
func Split(raw string) (Parts, error) {
	req, err := httpreq.NewOpaque(context.Background(), sigconform.Request{URL: raw})
	if err != nil {
		return Parts{}, err
	}
	u := req.URL
	return Parts{
		Scheme:   u.Scheme,
		Host:     u.Host,
		Path:     strings.TrimPrefix(u.Opaque, "//"+u.Host),
		RawQuery: u.RawQuery,
		HasQuery: u.ForceQuery || u.RawQuery != "",
	}, nil
}

// OpaqueRequest is httpreq.NewOpaque, with the requests net/http cannot
// express reported unsupported: the path exactly as the vector writes it in
// URL.Opaque, as the AWS SDKs advise for signing outside the SDK.
func OpaqueRequest(ctx context.Context, in sigconform.Request) (*http.Request, error) {
	return unsupportedErr(httpreq.NewOpaque(ctx, in))
}

// ParsedRequest is httpreq.New, with the requests net/http cannot express
// reported unsupported: the URL parsed with url.Parse, the way aws-sdk-go
// v1's request.New builds HTTPRequest from an endpoint.
func ParsedRequest(ctx context.Context, in sigconform.Request) (*http.Request, error) {
	return unsupportedErr(httpreq.New(ctx, in))
}

func unsupportedErr(req *http.Request, err error) (*http.Request, error) {
	if err != nil {
		return nil, unsupported(err.Error())
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

// DecodingChoice says why decoding the raw query (or form body) raw into
// name/value pairs would be the adapter's choice, or returns "" when it is
// not. A library that takes decoded parameters never sees the raw query; the
// decoding loses nothing only when every name and value is written in the
// canonical encoding (RFC 3986 unreserved bytes as they are, every other
// byte as %XX with upper-case hex, UTF-8), every pair has '=' and no pair is
// empty. For any other form (a raw '*' or '+', a lower-case or needless
// escape, a name without '=', "&&", bytes that are not UTF-8) the case is
// about that written form, and the adapter's decoder would answer it. The
// Python and Node adapters apply the same rule (sigconform_common.py
// decoding_choice, common.js decodingChoice).
func DecodingChoice(raw string) string {
	if raw == "" {
		return ""
	}
	for _, tok := range strings.Split(raw, "&") {
		if tok == "" {
			return "an empty pair ('&&' or a trailing '&')"
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return fmt.Sprintf("the name %q without '='", tok)
		}
		for _, part := range []string{k, v} {
			dec, err := url.PathUnescape(part)
			if err != nil || !utf8.ValidString(dec) {
				return fmt.Sprintf("%q, whose escapes are not UTF-8", part)
			}
			if enc := rfc3986(dec); enc != part {
				return fmt.Sprintf("%q, not in the canonical encoding (%q)", part, enc)
			}
		}
	}
	return ""
}

func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
