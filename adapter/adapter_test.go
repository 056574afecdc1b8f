package adapter_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

func firstCase(t *testing.T, kind vectors.Kind) *vectors.Case {
	t.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range set.Cases() {
		if c.Kind == kind {
			return c
		}
	}
	t.Fatal("no case")
	return nil
}

// The reference behind the HTTP adapter answers exactly what it answers
// in-process.
func TestHTTPRoundTrip(t *testing.T) {
	srv := httptest.NewServer(adapter.Handler(suites.Reference{}))
	defer srv.Close()
	h := adapter.NewHTTP(srv.URL)
	defer h.Close()
	c := firstCase(t, vectors.Sign)
	got, err := h.Sign(context.Background(), c.Input())
	if err != nil {
		t.Fatal(err)
	}
	if ms := c.Expected.CompareResult(got); len(ms) > 0 {
		t.Errorf("mismatches: %+v", ms)
	}
	v := firstCase(t, vectors.Verify)
	verdict, err := h.Verify(context.Background(), v.Input())
	if err != nil {
		t.Fatal(err)
	}
	if ms := v.Expected.CompareVerdict(verdict); len(ms) > 0 {
		t.Errorf("mismatches: %+v", ms)
	}
}

// Each misbehaving server makes the call fail with ErrBroken, naming what
// went wrong, within the deadline.
func TestHTTPBroken(t *testing.T) {
	c := firstCase(t, vectors.Sign)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://elsewhere.invalid/", http.StatusFound)
		}, "redirect to http://elsewhere.invalid/ not followed"},
		{"server-error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "HTTP status 500 Internal Server Error: boom"},
		{"huge", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.Repeat("x", adapter.MaxMessage+1))
		}, "a response body longer than"},
		{"garbage", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<html>hello</html>")
		}, "not a response"},
		{"wrong-id", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"id":"other","result":{"signature":"x"}}`)
		}, `answered for id "other"`},
		{"two-answers", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"id":%q,"result":{"signature":"x"},"error":"also"}`, c.ID)
		}, "exactly one of"},
		{"unknown-field", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"id":%q,"result":{"signture":"x"}}`, c.ID)
		}, `unknown field "signture"`},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			// Holds the request until the client gives up on it (30 s
			// at most, so a client that never does cannot hang the test).
			// The body is read first: the server notices a closed
			// connection, and cancels r.Context(), only once it has.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
		}, "no answer before the timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			h := adapter.NewHTTP(srv.URL)
			defer h.Close()
			// The servers that answer at once get a deadline that only a
			// hang reaches, even on a busy machine; 200 ms would let a
			// slow loopback round trip (or the 1 MiB of "huge") end in a
			// timeout instead of the error under test. "slow" never
			// answers, so its short deadline is the timeout under test.
			deadline := 30 * time.Second
			if tt.name == "slow" {
				deadline = 200 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			_, err := h.Sign(ctx, c.Input())
			if !errors.Is(err, adapter.ErrBroken) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want ErrBroken mentioning %q", err, tt.want)
			}
		})
	}
}

func TestHTTPUnsupported(t *testing.T) {
	c := firstCase(t, vectors.Sign)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":%q,"unsupported":"no CloudStack here"}`, c.ID)
	}))
	defer srv.Close()
	_, err := adapter.NewHTTP(srv.URL).Sign(context.Background(), c.Input())
	if !errors.Is(err, suites.ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
}

// ServeLines answers line by line, and a line that is not a request gets
// an error answer rather than ending the session.
func TestServeLines(t *testing.T) {
	c := firstCase(t, vectors.Sign)
	in := c.Input()
	req := fmt.Sprintf(`{"protocol":%q,"id":%q,"op":"sign","scheme":%q,"credentials":{"access_key":%q,"secret_key":%q},"request":{"method":%q,"url":%q}}`,
		adapter.Version, c.ID, in.Scheme, in.Credentials.AccessKey, in.Credentials.SecretKey, in.Request.Method, in.Request.URL)
	var out strings.Builder
	err := adapter.ServeLines(context.Background(), suites.Reference{}, strings.NewReader("not json\n"+req+"\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"error":"not a request`) || !strings.Contains(lines[1], `"signature"`) {
		t.Fatalf("got %q", lines)
	}
}
