package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sigconform/sigconform"
)

// Entry is one request the server answered, as the report shows it. It
// holds no secret and no query string (the query carries the access key).
type Entry struct {
	Seq    int    `json:"seq"`
	Time   string `json:"time"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	// Verdict is accepted, refused, not-found (a path the scheme's server
	// does not serve) or too-large (a body over MaxBody).
	Verdict string `json:"verdict"`
	// Reason is the reference's reason for refusing, also when a lenient
	// server accepted the request as a known variant.
	Reason sigconform.Reason `json:"reason,omitempty"`
	// Variant is the known variant the request was accepted as (lenient)
	// or whose signer produced the refused signature; By says how it was
	// found (verifies or signs), Stage where it departs from the reference.
	Variant     string `json:"variant,omitempty"`
	By          string `json:"by,omitempty"`
	Stage       string `json:"stage,omitempty"`
	Explanation string `json:"explanation,omitempty"`
}

// Handler is the scheme's server for signature checking.
type Handler struct {
	Checker Checker
	Dialect Dialect
	// Now is the server's clock; time.Now when nil.
	Now func() time.Time
	// Record, when set, is called with each request's entry after the
	// answer is written.
	Record func(Entry)

	mu  sync.Mutex
	seq int
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	e := Entry{Time: now.UTC().Format(time.RFC3339), Method: bounded(r.Method), Path: bounded(r.URL.EscapedPath())}
	resp := h.serve(r, now, &e)
	e.Explanation = bounded(e.Explanation)
	resp.Write(w)
	e.Status = resp.Status
	h.mu.Lock()
	h.seq++
	e.Seq = h.seq
	h.mu.Unlock()
	if h.Record != nil {
		h.Record(e)
	}
}

func (h *Handler) serve(r *http.Request, now time.Time, e *Entry) Response {
	if !h.Dialect.Routed(r.URL.Path) {
		e.Verdict = "not-found"
		return NotFound()
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			e.Verdict = "too-large"
			return Response{Status: http.StatusRequestEntityTooLarge, ContentType: "text/plain; charset=utf-8",
				Body: fmt.Sprintf("request body over %d bytes\n", MaxBody)}
		}
		e.Verdict = "refused"
		e.Reason = sigconform.Malformed
		e.Explanation = "reading the body: " + err.Error()
		return Response{Status: http.StatusBadRequest, ContentType: "text/plain; charset=utf-8", Body: "bad request\n"}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	req := FromHTTP(r, body, scheme)
	d := h.Checker.Check(req, now.Format(time.RFC3339))
	e.Reason = d.Reference.Reason
	e.Variant, e.By, e.Stage = d.Variant, d.By, d.Stage
	e.Explanation = d.Explanation
	if d.Accept {
		e.Verdict = "accepted"
		return h.Dialect.Accepted(req)
	}
	e.Verdict = "refused"
	return h.Dialect.Refused(req, d.Reference)
}

// maxEntryField bounds each text an Entry keeps. A server that runs for
// hours keeps every entry: an explanation quotes the signed string, which
// holds the whole query, and a path or method taken straight from the
// request would keep the whole request's memory alive. 1 KiB shows the
// start of the divergence; the rest is said, not kept.
const maxEntryField = 1 << 10

// bounded returns a copy of s that holds no memory of the request it came
// from, cut to maxEntryField bytes (on a rune boundary) with a note of how
// much was left out.
func bounded(s string) string {
	if len(s) <= maxEntryField {
		return strings.Clone(s)
	}
	cut := maxEntryField
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes not kept)", s[:cut], len(s)-cut)
}

// Report is what conform serve writes when it stops.
type Report struct {
	Scheme   string  `json:"scheme"`
	Mode     string  `json:"mode"` // strict or lenient
	URL      string  `json:"url"`
	Started  string  `json:"started"`
	Stopped  string  `json:"stopped"`
	Requests int     `json:"requests"`
	Accepted int     `json:"accepted"`
	Refused  int     `json:"refused"`
	Entries  []Entry `json:"entries"`
}

// Add appends e and counts it.
func (rep *Report) Add(e Entry) {
	rep.Entries = append(rep.Entries, e)
	rep.Requests++
	switch e.Verdict {
	case "accepted":
		rep.Accepted++
	case "refused":
		rep.Refused++
	}
}

// Line is an entry as one line of the text report: method, path, verdict,
// reason, matched variant, then the explanation.
func (e Entry) Line() string {
	reason := string(e.Reason)
	if reason == "" {
		reason = "-"
	}
	variant := "-"
	if e.Variant != "" {
		variant = "variant=" + e.Variant
		if e.Stage != "" {
			variant += " stage=" + e.Stage
		}
	}
	s := fmt.Sprintf("%s %s %d %s %s %s", e.Method, e.Path, e.Status, e.Verdict, reason, variant)
	if e.Explanation != "" && e.Verdict != "accepted" || e.Variant != "" {
		s += ": " + e.Explanation
	}
	return s
}

// WriteText writes the text report.
func (rep *Report) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "conform serve %s (%s) at %s: %d requests, %d accepted, %d refused\n",
		rep.Scheme, rep.Mode, rep.URL, rep.Requests, rep.Accepted, rep.Refused)
	for _, e := range rep.Entries {
		if _, err := fmt.Fprintln(w, e.Line()); err != nil {
			return err
		}
	}
	return err
}

// WriteJSON writes the JSON report (docs/serve.md).
func (rep *Report) WriteJSON(w io.Writer) error {
	if rep.Entries == nil {
		rep.Entries = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// The limits of NewHTTPServer. A client that sends its request or reads the
// answer slower than these is cut off: a body trickled at one byte a second
// would otherwise hold a connection, and its goroutine, for as long as the
// client likes. They are generous, so that a busy machine does not cut off
// an honest client.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = time.Minute // the whole request, body included
	WriteTimeout      = time.Minute
	IdleTimeout       = 2 * time.Minute // between requests on a kept-alive connection
)

// NewHTTPServer returns an http.Server for h with every timeout set:
// conform serve and conform adapter -listen both use it.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
	}
}
