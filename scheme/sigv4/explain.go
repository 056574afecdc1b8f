package sigv4

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Explain takes a signed request apart: Given is the signature it carries
// (the Signature= of its Authorization header, or its X-Amz-Signature
// decoded), and Stages and Signature are what variant computes for it.
//
// Everything is read from the request as the verifier reads it: the
// SignedHeaders it lists, its X-Amz-Date (header, or query when
// presigned), its credential scope's date, region and service. The clock
// is not looked at (Context.Time is ignored), so Given == Signature for
// variant "" exactly when Verify(in, "") accepts the signature, leaving
// expiry aside. The other checks the verifier makes before the HMAC (scope
// against Context.Region and Context.Service, x-amz-content-sha256
// against the body, a signed header missing, ...) are errors. An empty
// in.Credentials.AccessKey takes the request's; another key than the
// request's is an error (the verifier would not know it).
//
// The signing variants:
//
//   - ParamsInCanonicalQuery: the parameters of a form POST body (Content-Type
//     application/x-www-form-urlencoded, decoded with '+' as a space) are
//     sorted into the canonical query with the URL's; the body is still
//     hashed as the payload. The form body is in the received request, so
//     this is fully explainable.
//
//   - PostQueryIgnored: for a POST the canonical query is empty, URL query
//     and presign parameters included.
//
//   - SessionTokenUnsigned: the client adds the session token after signing.
//     A header-signed request lists in SignedHeaders what its client
//     signed, so the token header is signed or not as the request says: the
//     explanation is the reference's (which the reference verifier accepts;
//     AWS does too, aws-sig-v4-test-suite post-sts-header-after). For a
//     presigned URL, X-Amz-Security-Token is left out of the canonical
//     query; the reference signs every query parameter but the signature.
//     A URL whose own query carried X-Amz-Security-Token before signing
//     (no token in the credentials) cannot be told from one the variant
//     appended it to, and is explained as if appended.
//
//   - The canonicalization variants (path, query, header values, payload)
//     recompute the request as received the way the variant's client does;
//     post-query-in-body hashes a POST's URL query as its body, as boto 2
//     sent it, and presign-body-in-query hashes an empty body, as botocore
//     sent it.
//
//   - The variants that choose which headers a client adds or signs
//     (expect-signed, range-unsigned, presign-date-header-signed,
//     host-and-amz-headers-only, body-headers-signed, content-sha256-signed
//     and the header choice of the profiles) explain as the reference: the
//     request lists what its client signed in SignedHeaders. libcloud-v4
//     also accepts that list in the order libcloud wrote it.
//
//   - unsafe-path-escaped explains as the reference: the request as
//     received carries the escaped path.
//
// FutureDateAccepted and the gofakes3 variants change verifying only (Signs
// is false): Explain refuses them with an error wrapping
// sigconform.ErrUnknownVariant.
func (scheme) Explain(in sigconform.Input, variant string) (sigconform.Explanation, error) {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	if r.verifyOnly() {
		return sigconform.Explanation{}, fmt.Errorf("sigv4: %w %q for Explain: it changes verifying only, not what a client signs",
			sigconform.ErrUnknownVariant, variant)
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Explanation{}, fmt.Errorf("sigv4: explain needs the secret key")
	}
	s, verr := parseSigned(in, r, "", true)
	if verr != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv4: %w", verr)
	}
	if k := in.Credentials.AccessKey; k != "" && k != s.cred[0] {
		return sigconform.Explanation{}, fmt.Errorf("sigv4: the request is signed with access key %q, not %q", s.cred[0], k)
	}
	if r.tokenUnsigned && s.p.presigned {
		// The client appended the token to the URL after signing.
		s.input.query = dropKey(s.input.query, "X-Amz-Security-Token")
	}
	creq, sts, mac, verr := s.compute(in.Credentials.SecretKey)
	if verr != nil {
		return sigconform.Explanation{}, fmt.Errorf("sigv4: %w", verr)
	}
	return sigconform.Explanation{
		Given: s.p.signature,
		Stages: []sigconform.Stage{
			{Name: StageCanonicalRequest, Value: creq},
			{Name: StageStringToSign, Value: sts},
		},
		Signature: hex.EncodeToString(mac),
		AccessKey: s.cred[0],
		Clock:     amzClock(s.p.amzDate),
	}, nil
}

// amzClock is the request's X-Amz-Date as RFC 3339: the verifier finds a
// request current at the time it was signed, presigned or not.
func amzClock(amzDate string) string {
	t, err := parseAmzDate(amzDate)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
