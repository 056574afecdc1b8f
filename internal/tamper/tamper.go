// Package tamper makes the wrong copies of a correctly signed request that
// verifier tests send: the signature with one bit flipped, its case or
// Base64 alphabet changed, its padding removed, or put in place of another
// one; headers set or removed; the verifier's clock moved. The generators
// use it to write the verify vectors, and conform probe to send the same
// tamperings to a live server, without linking the generators into conform.
package tamper

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
)

// Valid is a signed request ready to be tampered with: the input that was
// signed, what the reference produced, and the request as sent.
type Valid struct {
	Name   string // the signer case's name, which the verify cases extend
	Title  string
	In     sigconform.Input
	Result sigconform.Result
	Sent   sigconform.Request
}

// NewValid signs in with the reference scheme s.
func NewValid(s sigconform.Scheme, name, title string, in sigconform.Input) (Valid, error) {
	in.Scheme = s.Name()
	res, err := s.Sign(in, "")
	if err != nil {
		return Valid{}, fmt.Errorf("%s: %w", name, err)
	}
	return Valid{Name: name, Title: title, In: in, Result: res, Sent: res.Apply(in.Request)}, nil
}

// Input is the verifier's input for the request as sent, checked at the
// signing time unless the context says otherwise.
func (v Valid) Input() sigconform.Input {
	in := v.In
	in.Request = v.Sent
	return in
}

// WithSignature returns the request as sent with its signature replaced by
// sig, wherever the signature stands: in a header value, or in the URL
// (percent-encoded or not).
func (v Valid) WithSignature(sig string) sigconform.Input {
	in := v.Input()
	old := v.Result.Signature
	req := in.Request
	req.Headers = append([]sigconform.Header(nil), req.Headers...)
	for i, h := range req.Headers {
		req.Headers[i].Value = strings.Replace(h.Value, old, sig, 1)
	}
	for _, enc := range []func(string) string{percent.Escape, func(s string) string { return s }} {
		if strings.Contains(req.URL, enc(old)) {
			req.URL = strings.Replace(req.URL, enc(old), enc(sig), 1)
			break
		}
	}
	in.Request = req
	return in
}

// At returns the verifier's input with its clock moved by d from the
// signing time.
func (v Valid) At(d time.Duration) (sigconform.Input, error) {
	in := v.Input()
	t, err := time.Parse(time.RFC3339, in.Context.Time)
	if err != nil {
		return in, fmt.Errorf("%s: context.time: %w", v.Name, err)
	}
	in.Context.Time = t.Add(d).UTC().Format(time.RFC3339)
	return in, nil
}

// Encodings of a MAC, for tampering with its written form.

// IsHex reports whether sig is written in hex.
func IsHex(sig string) bool {
	_, err := hex.DecodeString(sig)
	return err == nil && len(sig) >= 40
}

// FlipBit flips the lowest bit of the MAC's first byte and writes it back
// the way sig was written.
func FlipBit(sig string) (string, error) {
	if IsHex(sig) {
		b, _ := hex.DecodeString(sig)
		b[0] ^= 1
		return hex.EncodeToString(b), nil
	}
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return "", fmt.Errorf("signature %q is neither hex nor standard Base64", sig)
	}
	b[0] ^= 1
	return base64.StdEncoding.EncodeToString(b), nil
}

// SwapCase changes the case of the first letter of sig: for Base64 another
// MAC, for hex the same MAC written in capitals.
func SwapCase(sig string) string {
	for i, r := range sig {
		switch {
		case 'a' <= r && r <= 'z':
			return sig[:i] + string(r-'a'+'A') + sig[i+1:]
		case 'A' <= r && r <= 'Z':
			return sig[:i] + string(r-'A'+'a') + sig[i+1:]
		}
	}
	return sig
}

// URLSafe rewrites a standard Base64 signature in the URL-safe alphabet,
// keeping the padding; ok is false when the two are the same.
func URLSafe(sig string) (string, bool) {
	s := strings.NewReplacer("+", "-", "/", "_").Replace(sig)
	return s, s != sig
}

// Unpadded removes Base64 padding; ok is false when there was none.
func Unpadded(sig string) (string, bool) {
	s := strings.TrimRight(sig, "=")
	return s, s != sig
}

// Headers.

// SetHeader replaces the value of the header named name (compared without
// regard to case) or appends the header.
func SetHeader(hs []sigconform.Header, name, value string) []sigconform.Header {
	for i, h := range hs {
		if strings.EqualFold(h.Name, name) {
			hs[i].Value = value
			return hs
		}
	}
	return append(hs, sigconform.Header{Name: name, Value: value})
}

// DeleteHeader removes every header named name.
func DeleteHeader(hs []sigconform.Header, name string) []sigconform.Header {
	return slices.DeleteFunc(slices.Clone(hs), func(h sigconform.Header) bool { return strings.EqualFold(h.Name, name) })
}
