// Package sigconform holds the types that the reference signers, the vector
// files, the conformance runner and the adapter protocol all speak: the key
// pair, the request to sign, the scheme's context, and what signing or
// verifying produced.
//
// The types are plain data so that a vector file, a JSON protocol message and
// a Go call describe one request the same way.
package sigconform

import (
	"crypto/subtle"
	"errors"
	"strings"
)

// Credentials is the key pair a request is signed with. Vectors hold test
// keys only.
type Credentials struct {
	AccessKey    string `yaml:"access_key" json:"access_key"`
	SecretKey    string `yaml:"secret_key" json:"secret_key"`
	SessionToken string `yaml:"session_token,omitempty" json:"session_token,omitempty"`
}

// Header is one HTTP header line. Headers are kept as an ordered list, not a
// map, because order and repetition are what several schemes canonicalize.
type Header struct {
	Name  string
	Value string
}

// Request is an HTTP request as the signer receives it, or, for a verifier,
// as the server receives it. URL is kept as the raw string: parsing and
// re-encoding it would hide exactly the differences this project looks for.
type Request struct {
	Method  string   `yaml:"method" json:"method"`
	URL     string   `yaml:"url" json:"url"`
	Headers []Header `yaml:"headers,omitempty" json:"headers,omitempty"`
	Body    string   `yaml:"body,omitempty" json:"body,omitempty"`
}

// Header returns the value of the first header named name (compared without
// regard to case) and whether there was one.
func (r Request) Header(name string) (string, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Context is what a scheme needs besides the key pair and the request. Each
// scheme reads only its own fields; the rest must stay empty.
type Context struct {
	// Time is when the request is signed or, for a verifier, when it is
	// checked; RFC 3339.
	Time string `yaml:"time,omitempty" json:"time,omitempty"`
	// Region and Service scope a SigV4 signing key.
	Region  string `yaml:"region,omitempty" json:"region,omitempty"`
	Service string `yaml:"service,omitempty" json:"service,omitempty"`
	// SignatureVersion selects CloudStack's version 3 or EC2's 0, 1 or 2.
	SignatureVersion string `yaml:"signature_version,omitempty" json:"signature_version,omitempty"`
	// SignatureMethod is EC2 SigV2's HmacSHA256 or HmacSHA1.
	SignatureMethod string `yaml:"signature_method,omitempty" json:"signature_method,omitempty"`
	// Expires is CloudStack's expires parameter for signature version 3.
	Expires string `yaml:"expires,omitempty" json:"expires,omitempty"`
	// NormalizePath, when false, leaves the SigV4 path as it is (S3).
	NormalizePath *bool `yaml:"normalize_path,omitempty" json:"normalize_path,omitempty"`
	// SignBody adds and signs the x-amz-content-sha256 header when signing
	// with an Authorization header; a presigned URL hashes the body as its
	// payload and adds no such header (aws-c-auth).
	SignBody bool `yaml:"sign_body,omitempty" json:"sign_body,omitempty"`
	// UnsignedPayload uses UNSIGNED-PAYLOAD as the SigV4 payload hash.
	UnsignedPayload bool `yaml:"unsigned_payload,omitempty" json:"unsigned_payload,omitempty"`
	// PresignExpires, when positive, presigns a SigV4 URL valid this many
	// seconds instead of adding an Authorization header.
	PresignExpires int `yaml:"presign_expires,omitempty" json:"presign_expires,omitempty"`
	// OmitSessionToken sends the credentials' session token without
	// signing it: X-Amz-Security-Token is added after signing, to the
	// headers or, presigning, to the query before X-Amz-Signature, and a
	// verifier leaves it out of the canonical query (aws-c-auth's
	// omit_session_token flag, the suite's post-sts-header-after).
	OmitSessionToken bool `yaml:"omit_session_token,omitempty" json:"omit_session_token,omitempty"`
}

// Input is one request to sign or verify, with everything needed to do it.
type Input struct {
	// ID names the vector the input comes from, when it does; adapters
	// echo it so that an answer cannot be taken for another case's.
	ID          string      `json:"id,omitempty"`
	Scheme      string      `json:"scheme"`
	Credentials Credentials `json:"credentials"`
	Request     Request     `json:"request"`
	Context     Context     `json:"context"`
}

// Stage is one named intermediate string of a signing computation, such as
// CloudStack's command string or SigV4's canonical request.
type Stage struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is what a signer produced.
type Result struct {
	// Stages are the intermediate strings in the scheme's order. A signer
	// under test may leave them out.
	Stages []Stage `json:"stages,omitempty"`
	// Signature is the signature as the scheme writes it (Base64 or hex),
	// before any URL encoding.
	Signature string `json:"signature"`
	// URL is the request URL as sent, with any signature parameters.
	URL string `json:"url,omitempty"`
	// Headers are the headers the signer added or set (Authorization,
	// X-Amz-Date, ...).
	Headers []Header `json:"headers,omitempty"`
}

// Apply returns req as the signer sent it: with the signed URL, when r has
// one, and with the headers r added or set (a header of the same name,
// compared without regard to case, is replaced).
func (r Result) Apply(req Request) Request {
	req.Headers = append([]Header(nil), req.Headers...)
	if r.URL != "" {
		req.URL = r.URL
	}
outer:
	for _, h := range r.Headers {
		for i := range req.Headers {
			if strings.EqualFold(req.Headers[i].Name, h.Name) {
				req.Headers[i].Value = h.Value
				continue outer
			}
		}
		req.Headers = append(req.Headers, h)
	}
	return req
}

// Stage returns the value of the stage named name.
func (r Result) Stage(name string) (string, bool) {
	for _, s := range r.Stages {
		if s.Name == name {
			return s.Value, true
		}
	}
	return "", false
}

// Reason classifies why a verifier refused a request.
type Reason string

// The reasons a verifier may give. Vectors and reports use these names.
const (
	BadSignature     Reason = "bad-signature"     // the signature does not match
	WrongEncoding    Reason = "wrong-encoding"    // the right HMAC, written in another alphabet or form
	Expired          Reason = "expired"           // past its expiry or outside the allowed clock skew
	MissingParameter Reason = "missing-parameter" // a required parameter or header is absent
	UnknownKey       Reason = "unknown-key"       // the access key is not the one the verifier knows
	Malformed        Reason = "malformed"         // the request cannot be parsed
)

// Reasons lists every Reason, in the order documents show them.
var Reasons = []Reason{BadSignature, WrongEncoding, Expired, MissingParameter, UnknownKey, Malformed}

// Verdict is what a verifier decided.
type Verdict struct {
	Accept bool   `json:"accept"`
	Reason Reason `json:"reason,omitempty"`
	// Detail says why, for a person; it never holds a secret.
	Detail string `json:"detail,omitempty"`
}

// Accepted is the verdict of a request that verified.
func Accepted() Verdict { return Verdict{Accept: true} }

// Rejected is the verdict of a refused request.
func Rejected(r Reason, detail string) Verdict { return Verdict{Reason: r, Detail: detail} }

// Variant names a known divergent behaviour of a scheme: what some real
// implementation does differently from the reference.
type Variant struct {
	Name    string
	Summary string
	// Refs are the bug reports, code or documents that show the behaviour.
	Refs []string
	// Signs and Verifies say whether the variant changes signing, verifying
	// or both.
	Signs, Verifies bool
	// BugType classifies the divergence, for vector files (one of
	// vectors.BugTypes: encoding, canonicalization, legacy,
	// lenient-verifier, verifier-policy).
	BugType string
}

// Scheme is a reference implementation of one signing scheme. Sign and
// Verify take a variant name; "" is the reference behaviour.
type Scheme interface {
	Name() string
	// Stages names the intermediate strings Sign reports, in order.
	Stages() []string
	Variants() []Variant
	Sign(in Input, variant string) (Result, error)
	Verify(in Input, variant string) Verdict
}

// ErrUnknownVariant is returned by a Scheme given a variant it does not have.
var ErrUnknownVariant = errors.New("unknown variant")

// CloneVariants returns a copy of vs that shares nothing with it, refs
// included: what a Scheme's Variants returns, so that no caller can change
// the scheme's own list.
func CloneVariants(vs []Variant) []Variant {
	out := make([]Variant, len(vs))
	for i, v := range vs {
		v.Refs = append([]string(nil), v.Refs...)
		out[i] = v
	}
	return out
}

// LookupVariant returns the variant of s named name.
func LookupVariant(s Scheme, name string) (Variant, bool) {
	for _, v := range s.Variants() {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Explainer is implemented by a Scheme that can take a signed request apart:
// find the signature it carries and recompute, from the request as
// received, the stages and signature that the reference (variant "") or a
// named signing variant would have produced for it. conform explain uses it
// to say which known behaviour produced a signature a server refused.
type Explainer interface {
	Explain(in Input, variant string) (Explanation, error)
}

// Explanation is a signed request taken apart under one variant.
type Explanation struct {
	// Given is the signature the request carries, as the scheme writes it
	// (URL-decoded where it travels in the URL).
	Given string
	// Stages and Signature are what the variant computes for the request.
	Stages    []Stage
	Signature string
	// AccessKey is the access key the request names, and Clock a time (RFC
	// 3339) at which the request is current for the scheme's verifier, its
	// own signing time or just before it expires ("" when it carries no
	// time). With them a request can be verified as received, without
	// knowing when it was sent: RefusingVerifiers does so.
	AccessKey string
	Clock     string
}

// SameMAC reports whether two signatures, as written, are the same, in time
// that does not depend on where they differ. Every comparison of a MAC
// computed from a secret with one a client sent goes through it, so that
// neither a verifier nor a stand-in server such as conform serve leaks, by
// its timing, how much of a forged signature was right.
func SameMAC(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
