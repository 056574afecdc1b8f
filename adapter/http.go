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
	"strings"
)

// HTTP is an adapter behind an HTTP endpoint: each request is POSTed as JSON
// to the one URL the user gave, and the response body is the JSON response.
// Redirects are not followed, proxies from the environment are not used, and
// a body larger than MaxMessage is refused: conform contacts that URL and
// nothing else.
type HTTP struct {
	client
	url string
	hc  *http.Client
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
	return h
}

// Close closes idle connections.
func (h *HTTP) Close() error {
	h.hc.CloseIdleConnections()
	return nil
}

func (h *HTTP) exchange(ctx context.Context, req *Request) (*Response, error) {
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
	return decodeResponse(b, req.ID)
}

func firstLine(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	if sc.Scan() {
		return abbreviate([]byte(strings.TrimSpace(sc.Text())))
	}
	return ""
}
