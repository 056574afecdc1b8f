package httpreq

import (
	"context"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/sigconform/sigconform"
)

type builder struct {
	name string
	new  func(context.Context, sigconform.Request) (*http.Request, error)
}

var builders = []builder{{"New", New}, {"NewOpaque", NewOpaque}}

func hdrs(kv ...string) []sigconform.Header {
	var hs []sigconform.Header
	for i := 0; i < len(kv); i += 2 {
		hs = append(hs, sigconform.Header{Name: kv[i], Value: kv[i+1]})
	}
	return hs
}

func body(t *testing.T, req *http.Request) string {
	t.Helper()
	if req.Body == nil {
		return ""
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBodyAndContentLength(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		headers []sigconform.Header
		length  int64
		header  []string // Header["Content-Length"]
	}{
		{name: "no body"},
		// The length is the vector's, never the body's: a signer that
		// signs ContentLength > 0 must not see one the vector lacks.
		{name: "body without Content-Length", body: "a=1&b=2"},
		{name: "body with Content-Length", body: "a=1&b=2", headers: hdrs("Content-Length", "7"), length: 7, header: []string{"7"}},
		{name: "Content-Length 0", headers: hdrs("content-length", "0"), header: []string{"0"}},
		{name: "Content-Length not the body's", body: "abc", headers: hdrs("Content-Length", " 5 "), length: 5, header: []string{" 5 "}},
	}
	for _, b := range builders {
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				in := sigconform.Request{Method: "POST", URL: "https://example.com/", Headers: tt.headers, Body: tt.body}
				req, err := b.new(context.Background(), in)
				if err != nil {
					t.Fatal(err)
				}
				if req.ContentLength != tt.length {
					t.Errorf("ContentLength = %d, want %d", req.ContentLength, tt.length)
				}
				if got := req.Header["Content-Length"]; !slices.Equal(got, tt.header) {
					t.Errorf(`Header["Content-Length"] = %q, want %q`, got, tt.header)
				}
				if (req.Body == nil) != (tt.body == "") {
					t.Errorf("Body nil is %v with body %q", req.Body == nil, tt.body)
				}
				if got := body(t, req); got != tt.body {
					t.Errorf("body %q, want %q", got, tt.body)
				}
				if tt.body != "" {
					// GetBody gives the body again, for a signer that
					// hashes it and a transport that retries.
					rc, err := req.GetBody()
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(rc)
					if string(b) != tt.body {
						t.Errorf("GetBody gives %q, want %q", b, tt.body)
					}
				}
			})
		}
	}
}

func TestHeaders(t *testing.T) {
	in := sigconform.Request{
		Method: "GET",
		URL:    "http://example.com/",
		Headers: hdrs(
			"x-amz-date", "20150830T123600Z",
			"My-Header1", "b",
			"my-header1", "a",
			"MY-HEADER1", " c ",
			"Host", "example.org:8080",
			"Accept", "",
		),
	}
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) {
			req, err := b.new(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			want := http.Header{
				// Names are canonicalized; the values of one name keep
				// their order and spaces.
				"X-Amz-Date": {"20150830T123600Z"},
				"My-Header1": {"b", "a", " c "},
				"Accept":     {""},
			}
			if len(req.Header) != len(want) {
				t.Errorf("Header = %q, want %q", req.Header, want)
			}
			for k, v := range want {
				if !slices.Equal(req.Header[k], v) {
					t.Errorf("Header[%q] = %q, want %q", k, req.Header[k], v)
				}
			}
			if req.Host != "example.org:8080" {
				t.Errorf("Host = %q, want the Host header's", req.Host)
			}
			if req.URL.Host != "example.com" {
				t.Errorf("URL.Host = %q, want example.com", req.URL.Host)
			}
			if req.Method != "GET" || req.Context() == nil {
				t.Errorf("Method %q", req.Method)
			}
		})
	}
}

func TestNoHostHeader(t *testing.T) {
	for _, b := range builders {
		req, err := b.new(context.Background(), sigconform.Request{Method: "GET", URL: "https://Example.com:443/x"})
		if err != nil {
			t.Fatal(err)
		}
		// Empty: net/http sends URL.Host, and the signers use it.
		if req.Host != "" || req.URL.Host != "Example.com:443" {
			t.Errorf("%s: Host %q, URL.Host %q", b.name, req.Host, req.URL.Host)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		url                    string
		path, rawQuery, opaque string
		escapedPath            string // New's URL.EscapedPath()
		forceQuery             bool
	}{
		{
			url:  "https://example.com/a%2Fb/c%7e?b=%7e&a=1+2&a=1&c#frag",
			path: "/a/b/c~", escapedPath: "/a%2Fb/c%7e",
			rawQuery: "b=%7e&a=1+2&a=1&c", opaque: "//example.com/a%2Fb/c%7e",
		},
		{
			url:  "https://example.com",
			path: "", escapedPath: "", opaque: "//example.com",
		},
		{
			url:  "HTTP://example.com/?",
			path: "/", escapedPath: "/", opaque: "//example.com/", forceQuery: true,
		},
		{
			url:  "http://example.com/%41?=&==",
			path: "/A", escapedPath: "/%41", rawQuery: "=&==", opaque: "//example.com/%41",
		},
	}
	for _, tt := range tests {
		in := sigconform.Request{Method: "GET", URL: tt.url}
		req, err := New(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		u := req.URL
		if u.Path != tt.path || u.EscapedPath() != tt.escapedPath || u.RawQuery != tt.rawQuery || u.Fragment != "" {
			t.Errorf("New(%q): Path %q, EscapedPath %q, RawQuery %q, Fragment %q; want %q, %q, %q, none",
				tt.url, u.Path, u.EscapedPath(), u.RawQuery, u.Fragment, tt.path, tt.escapedPath, tt.rawQuery)
		}
		req, err = NewOpaque(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		u = req.URL
		if u.Opaque != tt.opaque || u.Path != "" || u.RawQuery != tt.rawQuery || u.ForceQuery != tt.forceQuery ||
			u.Host != "example.com" || u.Scheme != "https" && u.Scheme != "http" {
			t.Errorf("NewOpaque(%q): %#v", tt.url, u)
		}
	}
}

// A path net/url refuses is still signable with NewOpaque.
func TestOpaqueUnparsable(t *testing.T) {
	in := sigconform.Request{Method: "GET", URL: "https://example.com/100%/a b"}
	if _, err := New(context.Background(), in); err == nil {
		t.Error("New: no error for a path net/url cannot parse")
	}
	req, err := NewOpaque(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.Opaque != "//example.com/100%/a b" {
		t.Errorf("Opaque %q", req.URL.Opaque)
	}
}

func TestRefused(t *testing.T) {
	for _, in := range []sigconform.Request{
		{Method: "GET", URL: "https://example.com/", Headers: hdrs("Host", "", "host", "b")},
		{Method: "POST", URL: "https://example.com/", Headers: hdrs("Content-Length", "ten")},
		{Method: "POST", URL: "https://example.com/", Headers: hdrs("Content-Length", "-1")},
	} {
		for _, b := range builders {
			if _, err := b.new(context.Background(), in); err == nil {
				t.Errorf("%s(%+v): no error", b.name, in)
			}
		}
	}
	for _, raw := range []string{"example.com/a", "https:///a"} {
		if _, err := NewOpaque(context.Background(), sigconform.Request{URL: raw}); err == nil {
			t.Errorf("NewOpaque(%q): no error", raw)
		}
	}
}
