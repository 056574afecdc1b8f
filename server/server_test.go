package server

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/scheme/sigv4"
	"github.com/sigconform/sigconform/scheme/zstack"
)

func TestFromHTTP(t *testing.T) {
	raw := "GET /client/api?command=listUsers&name=a%20b&signature=x%2By HTTP/1.1\r\n" +
		"Host: example.test:8080\r\nX-Test: b\r\nx-amz-date: 20240102T030405Z\r\nX-Test: a\r\nContent-Length: 3\r\n\r\nabc"
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	got := FromHTTP(r, []byte("abc"), "http")
	if want := "http://example.test:8080/client/api?command=listUsers&name=a%20b&signature=x%2By"; got.URL != want {
		t.Errorf("URL = %q, want the request target as received, %q", got.URL, want)
	}
	want := []sigconform.Header{
		{Name: "Host", Value: "example.test:8080"},
		{Name: "Content-Length", Value: "3"},
		{Name: "X-Amz-Date", Value: "20240102T030405Z"},
		{Name: "X-Test", Value: "b"},
		{Name: "X-Test", Value: "a"},
	}
	if len(got.Headers) != len(want) {
		t.Fatalf("headers = %q, want %q", got.Headers, want)
	}
	for i := range want {
		if got.Headers[i] != want[i] {
			t.Errorf("header %d = %q, want %q", i, got.Headers[i], want[i])
		}
	}
	if got.Method != "GET" || got.Body != "abc" {
		t.Errorf("method, body = %q, %q", got.Method, got.Body)
	}

	// An absolute request target is kept as it is.
	r, _ = http.ReadRequest(bufio.NewReader(strings.NewReader("GET http://other.test/x?a=1 HTTP/1.1\r\nHost: other.test\r\n\r\n")))
	if got := FromHTTP(r, nil, "https"); got.URL != "http://other.test/x?a=1" {
		t.Errorf("absolute target: URL = %q", got.URL)
	}
}

func TestToHTTPKeepsNamesAndHost(t *testing.T) {
	hr, err := ToHTTP(sigconform.Request{Method: "POST", URL: "http://127.0.0.1:1/p?q=%7e",
		Headers: []sigconform.Header{{Name: "Host", Value: "h.test"}, {Name: "x-lower", Value: "v"}}, Body: "b=1"})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := hr.Write(&sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"POST /p?q=%7e HTTP/1.1\r\n", "Host: h.test\r\n", "x-lower: v\r\n", "Content-Length: 3\r\n"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("request lacks %q:\n%s", want, sb.String())
		}
	}
}

const (
	testKey    = "test-key"
	testSecret = "test-secret"
)

func serve(t *testing.T, schemeName string, s sigconform.Scheme, lenient bool, req sigconform.Request, now time.Time) (*httptest.ResponseRecorder, Entry) {
	t.Helper()
	d, ok := DialectFor(schemeName)
	if !ok {
		t.Fatalf("no dialect for %s", schemeName)
	}
	var got Entry
	h := &Handler{
		Checker: Checker{Scheme: s, Credentials: sigconform.Credentials{AccessKey: testKey, SecretKey: testSecret}, Lenient: lenient},
		Dialect: d, Now: func() time.Time { return now }, Record: func(e Entry) { got = e },
	}
	hr, err := ToHTTP(req)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := hr.Write(&sb); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(strings.NewReader(sb.String())))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, sr)
	return w, got
}

func signCloudStack(t *testing.T, url string, variant string) sigconform.Request {
	t.Helper()
	in := sigconform.Input{Scheme: "cloudstack", Credentials: sigconform.Credentials{AccessKey: testKey, SecretKey: testSecret},
		Request: sigconform.Request{Method: "GET", URL: url}}
	res, err := cloudstack.Scheme.Sign(in, variant)
	if err != nil {
		t.Fatal(err)
	}
	return sigconform.Request{Method: "GET", URL: res.URL}
}

func TestCloudStackResponses(t *testing.T) {
	now := time.Now()
	good := signCloudStack(t, "http://127.0.0.1:8080/client/api?command=listUsers&response=json", "")
	w, e := serve(t, "cloudstack", cloudstack.Scheme, false, good, now)
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"listusersresponse":{}}` || e.Verdict != "accepted" {
		t.Errorf("accepted: %d %q %+v", w.Code, w.Body.String(), e)
	}

	bad := sigconform.Request{Method: "GET", URL: strings.Replace(good.URL, "listUsers", "listUsers&x=1", 1)}
	w, e = serve(t, "cloudstack", cloudstack.Scheme, false, bad, now)
	var body map[string]struct {
		ErrorCode int    `json:"errorcode"`
		ErrorText string `json:"errortext"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("401 body %q: %v", w.Body.String(), err)
	}
	if w.Code != 401 || body["listusersresponse"].ErrorCode != 401 ||
		body["listusersresponse"].ErrorText != "unable to verify user credentials and/or request signature" {
		t.Errorf("refused: %d %q", w.Code, w.Body.String())
	}
	if e.Verdict != "refused" || e.Reason != sigconform.BadSignature || strings.Contains(e.Explanation, testSecret) {
		t.Errorf("entry %+v", e)
	}

	// XML without response=json.
	xmlBad := sigconform.Request{Method: "GET", URL: strings.Replace(bad.URL, "&response=json", "", 1)}
	w, _ = serve(t, "cloudstack", cloudstack.Scheme, false, xmlBad, now)
	if w.Code != 401 || !strings.Contains(w.Body.String(), "<listusersresponse><errorcode>401</errorcode><errortext>unable to verify") {
		t.Errorf("XML refusal: %d %q", w.Code, w.Body.String())
	}
	if err := xml.Unmarshal(w.Body.Bytes(), new(struct{})); err != nil {
		t.Errorf("XML refusal does not parse: %v", err)
	}

	// Other paths are not the API.
	w, e = serve(t, "cloudstack", cloudstack.Scheme, false, sigconform.Request{Method: "GET", URL: "http://127.0.0.1:8080/client/other"}, now)
	if w.Code != 404 || e.Verdict != "not-found" {
		t.Errorf("other path: %d %+v", w.Code, e)
	}

	// The console's URL-safe signature: refused strictly with the variant
	// named, accepted leniently as that variant. The console refuses with
	// 200 "Access denied".
	console := signCloudStack(t, "http://127.0.0.1:8080/client/console?cmd=access&vm=1", cloudstack.URLSafeBase64)
	w, e = serve(t, "cloudstack", cloudstack.Scheme, false, console, now)
	if w.Code != 200 || w.Body.String() != ConsoleDenied || e.Verdict != "refused" || e.Variant != cloudstack.URLSafeBase64 {
		t.Errorf("strict console: %d %q %+v", w.Code, w.Body.String(), e)
	}
	w, e = serve(t, "cloudstack", cloudstack.Scheme, true, console, now)
	if w.Code != 200 || strings.Contains(w.Body.String(), "Access denied") || e.Verdict != "accepted" || e.Variant != cloudstack.URLSafeBase64 {
		t.Errorf("lenient console: %d %q %+v", w.Code, w.Body.String(), e)
	}
}

func TestZStackResponses(t *testing.T) {
	now := time.Now()
	sign := func(at time.Time) sigconform.Request {
		in := sigconform.Input{Scheme: "zstack", Credentials: sigconform.Credentials{AccessKey: testKey, SecretKey: testSecret},
			Request: sigconform.Request{Method: "GET", URL: "http://127.0.0.1:8080/zstack/v1/vm-instances"},
			Context: sigconform.Context{Time: at.Format(time.RFC3339)}}
		res, err := zstack.Scheme.Sign(in, "")
		if err != nil {
			t.Fatal(err)
		}
		in.Request.Headers = res.Headers
		return in.Request
	}
	cases := []struct {
		name   string
		req    sigconform.Request
		status int
		body   string
	}{
		{"valid", sign(now), 200, "{}"},
		{"skewed", sign(now.Add(-time.Hour)), 403, "requestTimeTooSkewed"},
		{"no auth", sigconform.Request{Method: "GET", URL: "http://127.0.0.1:8080/zstack/v1/vm-instances"}, 400, "missing header 'Authorization'"},
		{"no date", func() sigconform.Request {
			r := sign(now)
			r.Headers = r.Headers[1:]
			return r
		}(), 400, "'Date' must be incuded in request header"},
		{"bad sig", func() sigconform.Request {
			r := sign(now)
			r.URL += "x"
			return r
		}(), 403, "wrong accessKey signature"},
	}
	for _, c := range cases {
		w, _ := serve(t, "zstack", zstack.Scheme, false, c.req, now)
		if w.Code != c.status || w.Body.String() != c.body {
			t.Errorf("%s: %d %q, want %d %q", c.name, w.Code, w.Body.String(), c.status, c.body)
		}
	}
	w, _ := serve(t, "zstack", zstack.Scheme, false, sigconform.Request{Method: "GET", URL: "http://127.0.0.1:8080/v1/vm-instances"}, now)
	if w.Code != 404 {
		t.Errorf("outside /zstack/v1: %d", w.Code)
	}
}

func TestAWSResponses(t *testing.T) {
	now := time.Now().UTC()
	in := sigconform.Input{Scheme: "sigv4", Credentials: sigconform.Credentials{AccessKey: testKey, SecretKey: testSecret},
		Request: sigconform.Request{Method: "GET", URL: "http://127.0.0.1:9000/?Action=ListUsers&Version=2010-05-08"},
		Context: sigconform.Context{Time: now.Format(time.RFC3339), Region: "us-east-1", Service: "iam"}}
	res, err := sigv4.Scheme.Sign(in, "")
	if err != nil {
		t.Fatal(err)
	}
	good := in.Request
	good.Headers = res.Headers
	w, _ := serve(t, "sigv4", sigv4.Scheme, false, good, now)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<ListUsersResponse>") {
		t.Errorf("accepted: %d %q", w.Code, w.Body.String())
	}
	bad := good
	bad.URL += "&x=1"
	w, e := serve(t, "sigv4", sigv4.Scheme, false, bad, now)
	var er AWSError
	if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil {
		t.Fatalf("%q: %v", w.Body.String(), err)
	}
	if w.Code != 403 || er.Code != "SignatureDoesNotMatch" || er.Type != "Sender" || e.Reason != sigconform.BadSignature {
		t.Errorf("refused: %d %+v %+v", w.Code, er, e)
	}
	w, _ = serve(t, "sigv4", sigv4.Scheme, false, in.Request, now)
	if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil || w.Code != 403 || er.Code != "MissingAuthenticationToken" {
		t.Errorf("unsigned: %d %q", w.Code, w.Body.String())
	}
	w, _ = serve(t, "sigv4", sigv4.Scheme, false, good, now.Add(time.Hour))
	if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil || w.Code != 400 || er.Code != "RequestExpired" {
		t.Errorf("expired: %d %q", w.Code, w.Body.String())
	}
}

func TestReportLine(t *testing.T) {
	e := Entry{Method: "GET", Path: "/client/api", Status: 401, Verdict: "refused", Reason: sigconform.WrongEncoding,
		Variant: "urlsafe-base64", Stage: "signature", Explanation: "reference: wrong-encoding"}
	if got, want := e.Line(), "GET /client/api 401 refused wrong-encoding variant=urlsafe-base64 stage=signature: reference: wrong-encoding"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	e = Entry{Method: "GET", Path: "/", Status: 200, Verdict: "accepted", Explanation: "the reference accepts it"}
	if got, want := e.Line(), "GET / 200 accepted - -"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
}

// TestNewHTTPServerSetsEveryTimeout: a server with only ReadHeaderTimeout
// kept a body trickled at one byte a second open for as long as the client
// liked; every limit must be set.
func TestNewHTTPServerSetsEveryTimeout(t *testing.T) {
	srv := NewHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		if d <= 0 {
			t.Errorf("%s is not set", name)
		}
	}
}

// TestNewHTTPServerCutsOffSlowBody: a client that trickles its body one
// byte at a time is cut off by ReadTimeout, its handler's read failing with
// a timeout. The test shortens ReadTimeout so that it runs in well under a
// second; the body could not arrive in hours, so only the timeout ends it,
// and a busy machine only makes the cut come later.
func TestNewHTTPServerCutsOffSlowBody(t *testing.T) {
	readErr := make(chan error, 1)
	srv := NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
	}))
	srv.ReadTimeout = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", 1<<20); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("x")); err != nil {
					return // cut off
				}
			}
		}
	}()

	const hang = 30 * time.Second // far beyond the timeout, even on a busy machine
	select {
	case err := <-readErr:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("the handler's read ended with %v, want a timeout", err)
		}
	case <-time.After(hang):
		t.Fatalf("a body trickled a byte every 20ms was still being read after %v", hang)
	}
	// And the connection is closed (an end of file, or a reset for the
	// bytes the server left unread), not kept for the rest of the body.
	_ = conn.SetReadDeadline(time.Now().Add(hang))
	if _, err := io.Copy(io.Discard, conn); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection was still open after %v", hang)
	}
}

// TestAWSAcceptedBodiesParse: awscli's `sts get-caller-identity` failed
// (exit 255, KeyError 'GetCallerIdentityResult') on a body with no Result
// element although the signature was accepted. Every Query answer carries
// <ActionResult>; GetCallerIdentity an identity; a JSON-protocol call JSON.
func TestAWSAcceptedBodiesParse(t *testing.T) {
	auth := sigconform.Header{Name: "Authorization", Value: "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"}
	resp := awsAccepted(sigconform.Request{Method: "POST", URL: "http://h/", Body: "Action=GetCallerIdentity&Version=2011-06-15", Headers: []sigconform.Header{auth}})
	var who struct {
		Result struct {
			Arn, UserId, Account string
		} `xml:"GetCallerIdentityResult"`
	}
	if err := xml.Unmarshal([]byte(resp.Body), &who); err != nil || who.Result.UserId != "AKIDTEST" || who.Result.Account == "" || who.Result.Arn == "" {
		t.Errorf("GetCallerIdentity: %v, %+v in %s", err, who, resp.Body)
	}
	resp = awsAccepted(sigconform.Request{Method: "GET", URL: "http://h/?Action=ListUsers&Version=2010-05-08"})
	if !strings.Contains(resp.Body, "<ListUsersResult/>") {
		t.Errorf("ListUsers: no result element in %s", resp.Body)
	}
	resp = awsAccepted(sigconform.Request{Method: "POST", URL: "http://h/", Body: "{}", Headers: []sigconform.Header{{Name: "X-Amz-Target", Value: "AmazonSQS.ListQueues"}}})
	if resp.Body != "{}" || !strings.HasPrefix(resp.ContentType, "application/x-amz-json") {
		t.Errorf("JSON protocol: %q %q", resp.ContentType, resp.Body)
	}
}
