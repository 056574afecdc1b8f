package adapter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sigconform/sigconform/vectors"
)

// HTTP is an adapter behind an HTTP endpoint: each request is POSTed as JSON
// to the one URL the user gave, and the response body is the JSON response.
// Redirects are not followed, proxies from the environment are not used, and
// a body larger than MaxMessage is refused: conform contacts that URL and
// nothing else.
//
// When the runner says which cases come next (Lookahead) and the adapter
// declares that it serves requests concurrently (the WindowHeader in its
// answers), or Window says so, up to that many requests are in flight at
// once, each on a keep-alive connection of its own. A request sent ahead
// that fails is sent again, alone, when the runner asks for it, so that a
// failure is charged to the case that causes it.
type HTTP struct {
	client
	url string
	hc  *http.Client

	// Window is how many requests may be in flight at once: 0 to follow
	// the adapter's WindowHeader (one at a time without it), 1 for one at
	// a time. Set it before first use.
	Window   int
	declared atomic.Int64 // the adapter's WindowHeader, 0 until seen

	mu     sync.Mutex
	pl     plan
	ahead  map[string]*hcall
	base   context.Context // the context of requests sent ahead; Close cancels it
	cancel context.CancelFunc
}

// WindowHeader is the header with which an HTTP adapter says how many
// requests it serves at once; conform keeps up to that many in flight
// (never more than its -window).
const WindowHeader = "Sigconform-Window"

// hcall is a request sent ahead.
type hcall struct {
	done   chan struct{}
	resp   *Response
	err    error
	cancel context.CancelFunc
}

// NewHTTP returns an adapter that POSTs to url.
func NewHTTP(url string) *HTTP {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 64,
		DisableCompression:  true,
	}
	h := &HTTP{url: url, hc: &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
	h.client = client{x: h}
	h.ahead = make(map[string]*hcall)
	h.base, h.cancel = context.WithCancel(context.Background())
	return h
}

// Close cancels the requests sent ahead and closes idle connections.
func (h *HTTP) Close() error {
	h.cancel()
	h.hc.CloseIdleConnections()
	return nil
}

// Lookahead tells h the cases the runner will ask for, in order
// (suites.Lookahead), so that it can send the next ones ahead.
func (h *HTTP) Lookahead(cases []*vectors.Case) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pl = newPlan(cases)
	for _, c := range h.ahead {
		c.cancel()
	}
	h.ahead = make(map[string]*hcall)
}

// SetWindow sets Window; conform run's -window flag (0: automatic).
func (h *HTTP) SetWindow(n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Window = n
}

// window is the number of requests in flight the next exchange may have.
func (h *HTTP) window() int {
	d := int(h.declared.Load())
	switch {
	case h.Window > 0 && d > 0:
		return clampWindow(min(h.Window, d))
	case h.Window > 0:
		return clampWindow(h.Window)
	case d > 0:
		return clampWindow(min(d, DefaultWindow))
	}
	return 1
}

func (h *HTTP) exchange(ctx context.Context, req *Request) (*Response, error) {
	h.mu.Lock()
	var c *hcall
	if idx := h.pl.find(req.ID, req.Op); idx >= 0 {
		c = h.ahead[req.ID]
		delete(h.ahead, req.ID)
		if w := h.window(); w > 1 {
			if c == nil {
				// Sent with the others, and so asked again alone if it
				// fails among them.
				c = h.sendAhead(req)
			}
			h.pl.ahead(w, func(i int) {
				id := h.pl.items[i].c.ID
				if h.ahead[id] == nil {
					h.ahead[id] = h.sendAhead(h.pl.request(i))
				}
			})
		}
		// Requests the runner went past are not waited for.
		for id := range h.ahead {
			if h.pl.index[id] < idx {
				h.ahead[id].cancel()
				delete(h.ahead, id)
			}
		}
	}
	h.mu.Unlock()
	if c != nil {
		select {
		case <-c.done:
			if c.err == nil {
				return c.resp, nil
			}
			// Failed while others were in flight: asked again, alone,
			// so that only a failure of its own is charged to it.
		case <-ctx.Done():
			c.cancel()
			return nil, fmt.Errorf("%w: no answer before the timeout", ErrBroken)
		}
	}
	return h.roundTrip(ctx, req)
}

// sendAhead starts req on a goroutine of its own.
func (h *HTTP) sendAhead(req *Request) *hcall {
	ctx, cancel := context.WithCancel(h.base)
	c := &hcall{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(c.done)
		c.resp, c.err = h.roundTrip(ctx, req)
	}()
	return c
}

// roundTrip POSTs req and reads its response.
func (h *HTTP) roundTrip(ctx context.Context, req *Request) (*Response, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := h.hc.Do(hreq)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: no answer before the timeout", ErrBroken)
		}
		return nil, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxMessage+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the response: %v", ErrBroken, err)
	}
	if len(b) > MaxMessage {
		return nil, fmt.Errorf("%w: a response body longer than %d bytes", ErrBroken, MaxMessage)
	}
	if resp.StatusCode != http.StatusOK {
		msg := "HTTP status " + resp.Status
		if loc := resp.Header.Get("Location"); loc != "" {
			msg += " (redirect to " + loc + " not followed)"
		}
		if s := firstLine(b); s != "" {
			msg += ": " + s
		}
		return nil, fmt.Errorf("%w: %s", ErrBroken, msg)
	}
	if n, err := strconv.Atoi(resp.Header.Get(WindowHeader)); err == nil && n > 0 {
		h.declared.Store(int64(n))
	}
	r, err := decodeResponse(b)
	if err == nil && r.ID != req.ID {
		return nil, fmt.Errorf("%w: answered for id %q, asked for %q", ErrBroken, r.ID, req.ID)
	}
	return r, err
}

func firstLine(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	if sc.Scan() {
		return abbreviate([]byte(strings.TrimSpace(sc.Text())))
	}
	return ""
}
