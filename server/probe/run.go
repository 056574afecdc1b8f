package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/server"
)

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Lo, Hi int }

// ParseStatusRanges reads "200-299" or "200,202,204-206".
func ParseStatusRanges(s string) ([]StatusRange, error) {
	var out []StatusRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a < 100 || b > 599 || a > b {
			return nil, fmt.Errorf("%q is not a status code or range of them (e.g. 200-299)", part)
		}
		out = append(out, StatusRange{a, b})
	}
	return out, nil
}

// DefaultAcceptStatus is the status that means "accepted", per scheme: any
// 2xx. A CloudStack console refusal is also a 200 (with "Access denied"),
// which Accepts recognizes by its body.
func DefaultAcceptStatus(scheme string) string { return "200-299" }

// Accepts reads the server's decision from its answer.
func Accepts(scheme string, ranges []StatusRange, status int, body []byte) bool {
	return AcceptsAnswer(scheme, ranges, nil, status, body)
}

// AcceptsAnswer reads the server's decision from its answer: a status in
// ranges, or an error whose code (ErrorCode) is one of codes, which a
// server only gives once it has accepted the signature (an S3 gateway's
// NoSuchBucket or NoSuchKey).
func AcceptsAnswer(scheme string, ranges []StatusRange, codes []string, status int, body []byte) bool {
	ok := false
	for _, r := range ranges {
		if r.Lo <= status && status <= r.Hi {
			ok = true
		}
	}
	if ok && scheme == "cloudstack" && strings.HasPrefix(strings.TrimSpace(string(body)), "Access denied") {
		return false // ConsoleProxyServlet refuses with 200 and this text
	}
	if !ok && status >= 300 {
		if code := ErrorCode(body); code != "" && slices.Contains(codes, code) {
			return true
		}
	}
	return ok
}

// ErrorCode is the code of an XML error answer (<Error><Code>X</Code>,
// as S3 and the EC2 API write it), or "". When the answer names the
// argument at fault (S3's <ArgumentName>, e.g. InvalidArgument for
// versionId), the code is "X/ArgumentName", so that a refusal of the
// request's arguments can be told from one of its Authorization header.
func ErrorCode(body []byte) string {
	code := xmlElement(string(body), "Code")
	if code == "" {
		return ""
	}
	if arg := xmlElement(string(body), "ArgumentName"); arg != "" {
		code += "/" + arg
	}
	return code
}

// xmlElement is the text of the first <name> element, when it is a short
// token.
func xmlElement(s, name string) string {
	i := strings.Index(s, "<"+name+">")
	if i < 0 {
		return ""
	}
	s = s[i+len(name)+2:]
	j := strings.Index(s, "</"+name+">")
	if j < 0 || j > 100 {
		return ""
	}
	v := strings.TrimSpace(s[:j])
	for _, r := range v {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return ""
		}
	}
	return v
}

// Result is one probe sent and what came back.
type Result struct {
	ID     string `json:"id"`
	Case   string `json:"case"`
	Tamper string `json:"tamper"`
	Title  string `json:"title"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// Status is the HTTP status, 0 when there was no answer (Error says
	// why).
	Status int `json:"status"`
	// Code is the error code of an XML error answer (ErrorCode).
	Code  string `json:"code,omitempty"`
	Error string `json:"error,omitempty"`
	// Unchecked says that the answer (its code is one of
	// Options.UncheckedCodes) comes from before the server checks a
	// signature, e.g. a path its router refuses: no verdict either way.
	Unchecked        bool              `json:"unchecked,omitempty"`
	ServerAccepts    bool              `json:"server_accepts"`
	ReferenceAccepts bool              `json:"reference_accepts"`
	ReferenceReason  sigconform.Reason `json:"reference_reason,omitempty"`
	AsReference      bool              `json:"as_reference"`
	// Variant is a known variant whose verifier decides as the server did
	// where it differs from the reference.
	Variant string `json:"variant,omitempty"`
}

// Options are how probes are sent.
type Options struct {
	Scheme  string
	Target  *url.URL
	Rate    float64 // requests per second
	Timeout time.Duration
	Accept  []StatusRange
	// AcceptCodes are error codes that mean the server accepted the
	// signature (AcceptsAnswer).
	AcceptCodes []string
	// UncheckedCodes are error codes a server answers before it checks
	// a signature (Result.Unchecked).
	UncheckedCodes []string
	// Progress, when set, is called after each probe.
	Progress func(Result)
	// MaxNoAnswer, when positive, stops Send after this many probes in a
	// row got no answer: a dead target is said to be dead in seconds, not
	// after every probe has waited out its timeout.
	MaxNoAnswer int
}

// Send sends the probes, one at a time at most Rate per second, each to
// opts.Target only (redirects are not followed, proxies not used).
func Send(ctx context.Context, probes []Probe, opts Options) []Result {
	client := &http.Client{
		Timeout:       opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{Proxy: nil, DisableCompression: true, MaxIdleConnsPerHost: 2},
	}
	defer client.CloseIdleConnections()
	interval := time.Duration(float64(time.Second) / opts.Rate)
	var out []Result
	var last time.Time
	silent := 0
	for _, p := range probes {
		if opts.MaxNoAnswer > 0 && silent >= opts.MaxNoAnswer {
			return out
		}
		if wait := time.Until(last.Add(interval)); wait > 0 {
			select {
			case <-ctx.Done():
				return out
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil {
			return out
		}
		last = time.Now()
		r := send(ctx, client, p, opts)
		out = append(out, r)
		if r.Status == 0 && r.Error != "" {
			silent++
		} else {
			silent = 0
		}
		if opts.Progress != nil {
			opts.Progress(r)
		}
	}
	return out
}

func send(ctx context.Context, client *http.Client, p Probe, opts Options) Result {
	r := Result{
		ID: p.ID(), Case: p.Case, Tamper: p.Tamper, Title: TamperTitle(p.Tamper), Method: p.Request.Method,
		ReferenceAccepts: p.Want.Accept, ReferenceReason: p.Want.Reason,
	}
	hr, err := server.ToHTTP(p.Request)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Path = hr.URL.EscapedPath()
	if hr.URL.Scheme != opts.Target.Scheme || hr.URL.Host != opts.Target.Host {
		r.Error = "not sent: the request is not for the target" // never another host
		return r
	}
	hr = hr.WithContext(ctx)
	resp, err := client.Do(hr)
	if err != nil {
		r.Error = strings.TrimSpace(err.Error())
		return r
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	r.Status = resp.StatusCode
	r.Code = ErrorCode(body)
	r.ServerAccepts = AcceptsAnswer(opts.Scheme, opts.Accept, opts.AcceptCodes, resp.StatusCode, body)
	if !r.ServerAccepts && r.Code != "" && slices.Contains(opts.UncheckedCodes, r.Code) {
		r.Unchecked = true
		return r
	}
	r.AsReference = r.ServerAccepts == r.ReferenceAccepts
	if !r.AsReference {
		r.Variant = p.Variant
	}
	return r
}

// Report is what conform probe writes.
type Report struct {
	// Format is ReportFormat, so that a probe report is told from a
	// conform run report among docs/conformance/*.json.
	Format string `json:"format"`
	// Implementation names the server probed (conform probe -label).
	Implementation string `json:"implementation,omitempty"`
	Scheme         string `json:"scheme"`
	Target         string `json:"target"`
	Sent           int    `json:"sent"`
	NotSent        int    `json:"not_sent"`
	// Conformant is true when the server decided as the reference on
	// every probe that got an answer, and every probe got one.
	Conformant bool `json:"conformant"`
	// AcceptedTampered lists the tampered probes the server accepted and
	// the reference refuses; RefusedValid the probes the reference accepts
	// (the correct requests, and tamperings that change nothing signed)
	// that the server refused; NoAnswer those that got no answer.
	AcceptedTampered []string `json:"accepted_tampered"`
	RefusedValid     []string `json:"refused_valid"`
	NoAnswer         []string `json:"no_answer"`
	// Unchecked lists the probes answered before any signature check
	// (Result.Unchecked): they say nothing about the verifier.
	Unchecked []string `json:"unchecked"`
	// GaveUp, when set, says why probing stopped before every probe was
	// sent: the target stopped answering.
	GaveUp  string   `json:"gave_up,omitempty"`
	Skipped []Skip   `json:"skipped"`
	Results []Result `json:"results"`
}

// ReportFormat is the value of Report.Format.
const ReportFormat = "sigconform-probe/v1"

// NewReport summarizes results.
func NewReport(scheme, target string, results []Result, skipped []Skip, notSent int) *Report {
	rep := &Report{Format: ReportFormat, Scheme: scheme, Target: target, Sent: len(results), NotSent: notSent, Results: results, Skipped: skipped,
		AcceptedTampered: []string{}, RefusedValid: []string{}, NoAnswer: []string{}, Unchecked: []string{}}
	if rep.Skipped == nil {
		rep.Skipped = []Skip{}
	}
	if rep.Results == nil {
		rep.Results = []Result{}
	}
	for _, r := range results {
		switch {
		case r.Error != "":
			rep.NoAnswer = append(rep.NoAnswer, r.ID)
		case r.Unchecked:
			rep.Unchecked = append(rep.Unchecked, r.ID)
		case r.AsReference:
		case r.ServerAccepts:
			rep.AcceptedTampered = append(rep.AcceptedTampered, r.ID)
		default:
			rep.RefusedValid = append(rep.RefusedValid, r.ID)
		}
	}
	rep.Conformant = len(rep.AcceptedTampered) == 0 && len(rep.RefusedValid) == 0 && len(rep.NoAnswer) == 0
	return rep
}

// WriteJSON writes the JSON report (docs/serve.md).
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteText writes the text report: a table by tampering, then one line
// per probe the server decided otherwise than the reference, then the
// verdict.
func (rep *Report) WriteText(w io.Writer, variantSummary func(string) string) error {
	rep.writeCounts(w)
	rep.writeTable(w)
	for _, name := range rep.writeDivergences(w) {
		if variantSummary != nil {
			if s := variantSummary(name); s != "" {
				fmt.Fprintf(w, "\nknown variant %s: %s\n", name, s)
			}
		}
	}
	rep.writeSkipped(w)
	fmt.Fprintln(w)
	if rep.Conformant {
		fmt.Fprintf(w, "result: the server decides as the reference: it accepted no tampered request and refused no correct one\n")
		return nil
	}
	_, err := fmt.Fprintf(w, "result: the server differs from the reference: it accepted %d tampered requests the reference refuses, refused %d requests the reference accepts, and %d got no answer\n",
		len(rep.AcceptedTampered), len(rep.RefusedValid), len(rep.NoAnswer))
	return err
}

// writeCounts writes the report's first line: what was sent, not sent and
// skipped.
func (rep *Report) writeCounts(w io.Writer) {
	valid, tampered := 0, 0
	for _, r := range rep.Results {
		if r.Tamper == "valid" {
			valid++
		} else {
			tampered++
		}
	}
	fmt.Fprintf(w, "conform probe: %s at %s: sent %d requests (%d correct, %d tampered)", rep.Scheme, rep.Target, rep.Sent, valid, tampered)
	if rep.NotSent > 0 && rep.GaveUp == "" {
		fmt.Fprintf(w, "; %d more not sent (-max)", rep.NotSent)
	}
	if rep.GaveUp != "" {
		fmt.Fprintf(w, "; %d more not sent: %s", rep.NotSent, rep.GaveUp)
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(w, "; %d vectors skipped", len(rep.Skipped))
	}
	fmt.Fprintln(w)
}

// writeTable writes the table by tampering.
func (rep *Report) writeTable(w io.Writer) {
	type row struct{ sent, as, accepted, refused, noAnswer, unchecked int }
	rows := map[string]*row{}
	for _, r := range rep.Results {
		x := rows[r.Tamper]
		if x == nil {
			x = &row{}
			rows[r.Tamper] = x
		}
		x.sent++
		switch {
		case r.Error != "":
			x.noAnswer++
		case r.Unchecked:
			x.unchecked++
		case r.AsReference:
			x.as++
		case r.ServerAccepts:
			x.accepted++
		default:
			x.refused++
		}
	}
	unchecked := len(rep.Unchecked) > 0
	fmt.Fprintf(w, "\n%-18s %5s %13s %17s %15s %9s", "tampering", "sent", "as-reference", "accepted-wrongly", "refused-wrongly", "no-answer")
	if unchecked {
		fmt.Fprintf(w, " %9s", "unchecked")
	}
	fmt.Fprintln(w)
	for _, t := range Tamperings {
		if x := rows[t.Name]; x != nil {
			fmt.Fprintf(w, "%-18s %5d %13d %17d %15d %9d", t.Name, x.sent, x.as, x.accepted, x.refused, x.noAnswer)
			if unchecked {
				fmt.Fprintf(w, " %9d", x.unchecked)
			}
			fmt.Fprintln(w)
		}
	}
}

// writeDivergences writes a line per probe the server decided otherwise
// than the reference, and returns the known variants those lines name.
func (rep *Report) writeDivergences(w io.Writer) (seen []string) {
	lines := false
	for _, r := range rep.Results {
		var kind string
		switch {
		case r.Error != "":
			kind = "NO ANSWER"
		case r.Unchecked, r.AsReference:
			continue
		case r.ServerAccepts:
			kind = "ACCEPTED"
		default:
			kind = "REFUSED"
		}
		if !lines {
			fmt.Fprintln(w)
			lines = true
		}
		fmt.Fprintf(w, "%s %s %s %s (%s)", kind, r.Tamper, r.Method, r.Path, r.Case)
		switch {
		case r.Error != "":
			fmt.Fprintf(w, ": %s\n", r.Error)
			continue
		case r.ServerAccepts:
			fmt.Fprintf(w, ": status %d; %s, which the reference refuses (%s)", r.Status, r.Title, r.ReferenceReason)
		default:
			fmt.Fprintf(w, ": status %d; %s, which the reference accepts", r.Status, r.Title)
		}
		if r.Variant != "" {
			fmt.Fprintf(w, "; as the known variant %s would", r.Variant)
			if !slices.Contains(seen, r.Variant) {
				seen = append(seen, r.Variant)
			}
		}
		fmt.Fprintln(w)
	}
	return seen
}

// writeSkipped writes how many vectors were skipped, by reason.
func (rep *Report) writeSkipped(w io.Writer) {
	var reasons []string
	count := map[string]int{}
	for _, s := range rep.Skipped {
		if count[s.Reason] == 0 {
			reasons = append(reasons, s.Reason)
		}
		count[s.Reason]++
	}
	for _, reason := range reasons {
		fmt.Fprintf(w, "skipped %d vectors: %s\n", count[reason], reason)
	}
	if len(rep.Unchecked) > 0 {
		fmt.Fprintf(w, "unchecked: %d requests were answered before any signature check (-unchecked-code), e.g. %s\n", len(rep.Unchecked), rep.Unchecked[0])
	}
}
