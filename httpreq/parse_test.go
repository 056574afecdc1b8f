package httpreq

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
)

func TestParse(t *testing.T) {
	type hs = []sigconform.Header
	for _, tc := range []struct {
		name, text string
		want       sigconform.Request
	}{
		{"a URL alone is a GET", "  https://ec2.amazonaws.com/?Action=X&Signature=a%2Bb\n",
			sigconform.Request{Method: "GET", URL: "https://ec2.amazonaws.com/?Action=X&Signature=a%2Bb"}},
		{"path and Host, LF", "GET /zstack/v1/zones HTTP/1.1\nHost: localhost:8080\nDate: Mon, 1 Jan 2024\nAuthorization: ZStack k:c2ln\n\n",
			sigconform.Request{Method: "GET", URL: "http://localhost:8080/zstack/v1/zones", Headers: hs{{Name: "Host", Value: "localhost:8080"}, {Name: "Date", Value: "Mon, 1 Jan 2024"}, {Name: "Authorization", Value: "ZStack k:c2ln"}}}},
		{"CRLF, absolute target, names and order as written", "POST https://h/p?q=1 HTTP/1.1\r\nx-amz-date: 20240102T030405Z\r\nHOST:h\r\n\r\n",
			sigconform.Request{Method: "POST", URL: "https://h/p?q=1", Headers: hs{{Name: "x-amz-date", Value: "20240102T030405Z"}, {Name: "HOST", Value: "h"}}}},
		{"a value keeps its inner and trailing spaces", "GET / HTTP/1.1\nHost: h\nX-A: \t a  b \n\n",
			sigconform.Request{Method: "GET", URL: "http://h/", Headers: hs{{Name: "Host", Value: "h"}, {Name: "X-A", Value: "a  b "}}}},
		{"Content-Length ends the body", "POST / HTTP/1.1\nHost: h\nContent-Length: 3\n\nabcdef\n",
			sigconform.Request{Method: "POST", URL: "http://h/", Headers: hs{{Name: "Host", Value: "h"}, {Name: "Content-Length", Value: "3"}}, Body: "abc"}},
		{"a Content-Length longer than the body keeps the body", "POST / HTTP/1.1\nHost: h\nContent-Length: 30\n\nabc\n",
			sigconform.Request{Method: "POST", URL: "http://h/", Headers: hs{{Name: "Host", Value: "h"}, {Name: "Content-Length", Value: "30"}}, Body: "abc\n"}},
		{"without Content-Length one final line end is dropped", "POST / HTTP/1.1\nHost: h\n\na=1\nb=2\r\n",
			sigconform.Request{Method: "POST", URL: "http://h/", Headers: hs{{Name: "Host", Value: "h"}}, Body: "a=1\nb=2"}},
		{"no blank line, no body", "GET http://h/x HTTP/1.1\nAccept: */*",
			sigconform.Request{Method: "GET", URL: "http://h/x", Headers: hs{{Name: "Accept", Value: "*/*"}}}},
	} {
		got, err := Parse(tc.text)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", `not a URL and not an HTTP request: the first line is ""`},
		{"a URL without its scheme", "localhost:8080/zstack/v1/zones", `not a URL and not an HTTP request: the first line is "localhost:8080/zstack/v1/zones"`},
		{"a header without a colon", "GET / HTTP/1.1\nHost h\n\n", `not a header line: "Host h"`},
		{"a path without Host", "GET /client/api?command=x HTTP/1.1\nDate: x\n\n", "the request has a path but no Host header"},
	} {
		_, err := Parse(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Parse error = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{"http://h/": true, " https://h\n": true, "HTTP://h/": false, "h/x": false, "@file": false} {
		if got := IsURL(s); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", s, got, want)
		}
	}
}
