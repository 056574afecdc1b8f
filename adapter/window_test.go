//go:build unix

package adapter_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// culpritEnv names the one case a misbehaving test adapter misbehaves on.
const culpritEnv = "SIGCONFORM_TEST_CULPRIT"

// misbehave runs this test binary as an adapter that answers with the
// reference, in order, except on the request for culprit: crash (exit 3
// without answering), hang, or wrongid (answer for another id). shuffle
// answers every request on a goroutine of its own after a random pause, so
// out of order. deaf answers its first request and never reads again.
func misbehave(mode, culprit string) {
	in := bufio.NewReader(os.Stdin)
	var mu sync.Mutex
	enc := json.NewEncoder(os.Stdout)
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			os.Exit(0)
		}
		var req adapter.Request
		if err := json.Unmarshal(line, &req); err != nil {
			os.Exit(2)
		}
		resp := adapter.Answer(context.Background(), suites.Reference{}, &req)
		switch {
		case mode == "deaf":
			// Answers its first request, then never reads again.
			enc.Encode(resp)
			select {}
		case mode == "shuffle":
			go func() {
				time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
				mu.Lock()
				defer mu.Unlock()
				enc.Encode(resp)
			}()
			continue
		case req.ID != culprit:
		case mode == "crash":
			fmt.Fprintln(os.Stderr, "boom on", req.ID)
			os.Exit(3)
		case mode == "hang":
			select {}
		case mode == "wrongid":
			resp.ID = "some/other/case"
		}
		mu.Lock()
		enc.Encode(resp)
		mu.Unlock()
	}
}

// With many requests in flight, a crash, a hang or an answer for another
// id is charged to the case that causes it, and to no other: the requests
// in flight with it are sent again and pass.
func TestProcessWindowBlame(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := set.Cases()[:40]
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		mode, want string
		culprit    int // index in cases, -1 for none
	}{
		{"crash", "the adapter exited without answering (exit status 3); its standard error ended: boom on " + cases[9].ID, 9},
		{"hang", "no answer before the timeout", 13},
		{"wrongid", `answered for id "some/other/case"`, 21},
		{"shuffle", "", -1},
	}
	for _, tt := range tests {
		for _, window := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/window=%d", tt.mode, window), func(t *testing.T) {
				t.Parallel()
				culprit := ""
				if tt.culprit >= 0 {
					culprit = cases[tt.culprit].ID
				}
				p := adapter.NewProcess(fmt.Sprintf("%s=%s %s=%s exec %s", adapterEnv, tt.mode, culpritEnv, culprit, exe), "")
				p.Window = window
				defer p.Close()
				// The timeout is what the hang costs; no case that is
				// answered comes near it, even on a busy machine.
				r := &suites.Runner{Signer: p, Verifier: p, Timeout: 2 * time.Second}
				var rep *suites.Report
				within(t, "Run", func() { rep = r.Run(context.Background(), cases) })
				for i, c := range rep.Cases {
					switch {
					case i == tt.culprit && (c.Status != suites.Broken || !strings.Contains(c.Error, tt.want)):
						t.Errorf("%s (the culprit): %s %q, want broken mentioning %q", c.ID, c.Status, c.Error, tt.want)
					case i != tt.culprit && c.Status != suites.Pass:
						t.Errorf("%s: %s %q, want pass", c.ID, c.Status, c.Error)
					}
				}
			})
		}
	}
}

// Over HTTP too, a request sent ahead that fails is asked again when the
// runner comes to it: a server that fails requests once while others are
// in flight (overloaded) still passes every case, and one that always fails
// on one case fails only that one.
func TestHTTPWindowBlame(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := set.Cases()[:40]
	culprit := cases[7].ID
	ref := adapter.Handler(suites.Reference{})
	var mu sync.Mutex
	inFlight, maxInFlight := 0, 0
	refused := make(map[string]bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		maxInFlight = max(maxInFlight, inFlight)
		busy := inFlight > 1
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		var req adapter.Request
		_ = json.Unmarshal(body, &req)
		mu.Lock()
		refuse := busy && !refused[req.ID] && rand.IntN(4) == 0
		refused[req.ID] = refused[req.ID] || refuse
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight--
			mu.Unlock()
		}()
		switch {
		case req.ID == culprit:
			http.Error(w, "no, not this one", http.StatusInternalServerError)
		case refuse:
			http.Error(w, "too busy", http.StatusServiceUnavailable)
		default:
			time.Sleep(200 * time.Microsecond) // long enough for requests to overlap
			r.Body = io.NopCloser(bytes.NewReader(body))
			ref.ServeHTTP(w, r)
		}
	}))
	defer srv.Close()
	h := adapter.NewHTTP(srv.URL)
	h.Window = 8
	defer h.Close()
	r := &suites.Runner{Signer: h, Verifier: h, Timeout: 30 * time.Second}
	rep := r.Run(context.Background(), cases)
	for _, c := range rep.Cases {
		switch {
		case c.ID == culprit && (c.Status != suites.Broken || !strings.Contains(c.Error, "no, not this one")):
			t.Errorf("%s (the culprit): %s %q", c.ID, c.Status, c.Error)
		case c.ID != culprit && c.Status != suites.Pass:
			t.Errorf("%s: %s %q, want pass", c.ID, c.Status, c.Error)
		}
	}
	n := 0
	for _, r := range refused {
		if r {
			n++
		}
	}
	if n == 0 {
		t.Error("no request was refused: the test tested nothing")
	}
	if maxInFlight < 2 {
		t.Errorf("at most %d request in flight with a window of 8", maxInFlight)
	}
}

// ServeLinesConcurrent answers every request once, whatever the order, and
// a line that is not a request gets an error answer.
func TestServeLinesConcurrent(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := set.Cases()[:50]
	var in bytes.Buffer
	for _, c := range cases {
		op := adapter.OpSign
		if c.Kind == vectors.Verify {
			op = adapter.OpVerify
		}
		i := c.Input()
		b, _ := json.Marshal(&adapter.Request{Protocol: adapter.Version, ID: c.ID, Op: op, Scheme: i.Scheme,
			Credentials: i.Credentials, Request: i.Request, Context: i.Context})
		in.Write(append(b, '\n'))
	}
	in.WriteString("not json\n")
	var out bytes.Buffer
	if err := adapter.ServeLinesConcurrent(context.Background(), suites.Reference{}, &in, &out, 4); err != nil {
		t.Fatal(err)
	}
	got := make(map[string]int)
	errs := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var resp adapter.Response
		if err := json.Unmarshal([]byte(line), &resp); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if strings.HasPrefix(resp.Error, "not a request") {
			errs++
			continue
		}
		if resp.Result == nil && resp.Verdict == nil {
			t.Errorf("%s: %+v", resp.ID, resp)
		}
		got[resp.ID]++
	}
	for _, c := range cases {
		if got[c.ID] != 1 {
			t.Errorf("%s answered %d times", c.ID, got[c.ID])
		}
	}
	if errs != 1 {
		t.Errorf("%d error answers to the line that is not a request, want 1", errs)
	}
}

// An adapter that stops reading its input is told apart from one that
// reads a request and does not answer it: a request larger than the pipe
// holds stays unread. (A request conform had not come to write when the
// time ran out, as on a busy machine, is "no answer", never blamed on
// the adapter's reading.)
func TestProcessUnreadRequest(t *testing.T) {
	t.Parallel() // waits out a timeout
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := adapter.NewProcess(adapterEnv+"=deaf exec "+exe, "")
	defer p.Close()
	c := firstCase(t, vectors.Sign)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := p.Sign(ctx, c.Input()); err != nil {
		t.Fatalf("first request: %v", err)
	}
	in := c.Input()
	in.Request.Body = strings.Repeat("x", adapter.MaxMessage/2) // far more than a pipe holds
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = p.Sign(ctx, in)
	if want := "the adapter did not read the request before the timeout"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// An adapter that reads a large request whole and hangs on it is blamed
// for not answering, not for not reading, though the requests sent after
// it fill the pipe: each request counts as written once the pipe has taken
// its last byte, not when a whole batch has gone in.
func TestProcessWindowBlameLargeRequests(t *testing.T) {
	t.Parallel() // waits out a timeout
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var cases []*vectors.Case
	for _, c := range set.Cases() {
		if c.Kind != vectors.Sign {
			continue
		}
		large := *c
		large.Request.Body = strings.Repeat("x", 40<<10) // 8 of them overfill a pipe
		cases = append(cases, &large)
		if len(cases) == 24 {
			break
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const culprit = 13
	p := adapter.NewProcess(fmt.Sprintf("%s=hang %s=%s exec %s", adapterEnv, culpritEnv, cases[culprit].ID, exe), "")
	p.Window = 8
	defer p.Close()
	rep := (&suites.Runner{Signer: p, Verifier: p, Timeout: 2 * time.Second}).Run(context.Background(), cases)
	got := rep.Cases[culprit]
	if got.Status != suites.Broken || !strings.Contains(got.Error, "no answer before the timeout") {
		t.Errorf("%s: %s %q, want broken with no answer before the timeout", got.ID, got.Status, got.Error)
	}
}
