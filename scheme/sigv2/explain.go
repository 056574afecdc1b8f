package sigv2

import (
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Explain takes a signed request apart: Given is the Signature parameter
// it carries, decoded as the server decodes the query or form body, and
// Stages and Signature are the string to sign and the signature variant
// computes for it.
//
// Everything is read from the request as the reference verifier reads it:
// its parameters (from the URL, or from the body of a form POST), the
// SignatureVersion and SignatureMethod it names, the Host header or the
// URL's host. The clock is not looked at (Context.Time is ignored, a
// Timestamp or Expires is not parsed), so for variant "" Given ==
// Signature exactly when Verify(in, "") accepts the signature, leaving
// time aside; the checks the reference verifier makes before it (a
// missing Signature, AWSAccessKeyId, SignatureVersion or SignatureMethod,
// neither or both of Timestamp and Expires, an unknown version or method)
// are errors. An empty in.Credentials.AccessKey takes the request's;
// another key than the request's is an error.
//
// The signing variants below change only the version 2 string to sign
// (versions 0 and 1 have no host line and encode nothing, so there they
// explain as the reference):
//
//   - PlusForSpace: the canonical query written with '+' for a space;
//   - TildeEncoded: the canonical query written with %7E for '~';
//   - HostWithoutPort: the host line without any port;
//   - HostAsWritten: the host line exactly as received (Host header or the
//     URL's host[:port]), not lowercased, a default port kept;
//   - PathDecoded: the path line percent-decoded;
//   - GetVerb: the method line GET whatever the request's method.
//
// SecurityTokenUnsigned changes what the signer sends (no SecurityToken),
// not how it signs what it sends: it explains as the reference.
//
// Keystone changes verifying only (Signs is false): Explain refuses it
// with an error wrapping sigconform.ErrUnknownVariant rather than pass the
// reference's explanation off as keystone's.
func (scheme) Explain(in sigconform.Input, variant string) (sigconform.Explanation, error) {
	o, err := rulesFor(variant)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	if v, _ := sigconform.LookupVariant(Scheme, variant); variant != "" && !v.Signs {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: %w %q for Explain: it changes verifying only, not what a client signs",
			sigconform.ErrUnknownVariant, variant)
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: explain needs the secret key")
	}
	req, err := parseRequest(in.Request)
	if err != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: %w", err)
	}
	c, bad := readReferenceClaim(req)
	if bad != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: %s: %s", bad.Reason, bad.Detail)
	}
	if k := in.Credentials.AccessKey; k != "" && k != c.accessKey {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: the request is signed with access key %q, not %q", c.accessKey, k)
	}
	sts, err := o.signedString(c, req)
	if err != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: %w", err)
	}
	sig, err := Signature(in.Credentials.SecretKey, c.method, sts)
	if err != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv2: %w", err)
	}
	return sigconform.Explanation{
		Given:     c.signature,
		Stages:    []sigconform.Stage{{Name: StageStringToSign, Value: sts}},
		Signature: sig,
		AccessKey: c.accessKey,
		Clock:     requestClock(req),
	}, nil
}

// requestClock is a clock at which the request is current: its Timestamp,
// else a second before its Expires; "" when it has neither.
func requestClock(req *request) string {
	if ts, ok := lookup(req.params, paramTimestamp); ok {
		if t, err := ParseTime(ts); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
		return ""
	}
	if exp, ok := lookup(req.params, paramExpires); ok {
		if t, err := ParseTime(exp); err == nil {
			return t.Add(-time.Second).UTC().Format(time.RFC3339)
		}
	}
	return ""
}
