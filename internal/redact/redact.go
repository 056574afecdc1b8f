// Package redact removes secret keys from text about to be shown: logs,
// reports, error messages. A key rarely appears as it was given: a client
// that sends it by mistake percent-encodes it, CloudStack's command string
// lowercases it, a JSON report escapes it, an error may quote its Base64. A
// Redactor knows every form the schemes and their reports produce and
// matches each without regard to case, since hex digits and lowercased
// command strings change case freely.
package redact

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/internal/percent"
)

// Placeholder is what a secret is replaced with.
const Placeholder = "<secret>"

// Redactor replaces the known forms of some secrets. The zero value and a
// nil *Redactor redact nothing.
type Redactor struct {
	re *regexp.Regexp
}

// New returns a Redactor for secrets; empty ones are ignored.
func New(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range Forms(s) {
			if f != "" && !seen[strings.ToLower(f)] {
				seen[strings.ToLower(f)] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return &Redactor{}
	}
	// Longest first, so that a form containing another is replaced whole.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	quoted := make([]string, len(forms))
	for i, f := range forms {
		quoted[i] = regexp.QuoteMeta(f)
	}
	return &Redactor{re: regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))}
}

// String returns s with every known form of the secrets replaced by
// Placeholder.
func (r *Redactor) String(s string) string {
	if r == nil || r.re == nil {
		return s
	}
	return r.re.ReplaceAllLiteralString(s, Placeholder)
}

// Forms returns the ways secret may be written in what sigconform shows:
// as given; percent-encoded as a query value, as a path, with every byte
// outside RFC 3986's unreserved set encoded, with every byte encoded, and
// percent-encoded twice; in Base64 (all four alphabets) and hex; and each of
// these as it appears inside a JSON string. Case is left to the matcher.
func Forms(secret string) []string {
	b := []byte(secret)
	base := []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		percent.Escape(secret), // every byte outside RFC 3986's unreserved set
		encodeEveryByte(secret),
		url.QueryEscape(url.QueryEscape(secret)),
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
		hex.EncodeToString(b),
	}
	out := slices.Clone(base)
	for _, f := range base {
		if j, err := json.Marshal(f); err == nil {
			out = append(out, string(j[1:len(j)-1]))
		}
	}
	return out
}

// encodeEveryByte writes every byte of s as %XX, as some clients encode
// a value they do not trust.
func encodeEveryByte(s string) string {
	return percent.Encode(s, func(byte) bool { return false }, "")
}

// Writer redacts what is written through it, a line at a time, so that a
// secret split across two writes of one line is still found. Flush writes a
// last line that has no line end.
type Writer struct {
	r   *Redactor
	w   io.Writer
	buf []byte
}

// Writer returns a Writer that redacts for r and writes to w.
func (r *Redactor) Writer(w io.Writer) *Writer { return &Writer{r: r, w: w} }

// Write buffers p and writes, redacted, every line it completes.
func (rw *Writer) Write(p []byte) (int, error) {
	rw.buf = append(rw.buf, p...)
	i := bytes.LastIndexByte(rw.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	lines := string(rw.buf[:i+1])
	rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
	if _, err := io.WriteString(rw.w, rw.r.String(lines)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is buffered, redacted.
func (rw *Writer) Flush() error {
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.String(string(rw.buf)))
	rw.buf = rw.buf[:0]
	return err
}
