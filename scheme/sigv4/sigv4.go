// Package sigv4 is sigconform's reference signer and verifier for AWS
// Signature Version 4 (AWS4-HMAC-SHA256), header-signed and presigned.
//
// The reference follows what AWS's servers accept, as pinned by AWS's own
// published test suites:
//
//   - aws-sig-v4-test-suite (2015), as shipped in botocore
//     tests/unit/auth/aws4_testsuite/ and in AWS's General Reference;
//   - awslabs/aws-c-auth tests/aws-signing-test-suite/v4/ (header and
//     query signing, normalized and unnormalized paths);
//   - "Signature Calculations for the Authorization Header" and
//     "Authenticating Requests: Using Query Parameters" in the Amazon S3 API
//     Reference (S3: UNSIGNED-PAYLOAD, no path normalization).
//
// Canonical request (both forms):
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
//
// The canonical URI is the path with dot segments and empty segments
// removed and URI-encoded again ("double encoding") for every service but S3
// (Context.NormalizePath=false: kept as sent). The canonical query sorts the
// URI-encoded parameters by name then value. Headers are lowercased, their
// values trimmed with inner runs of spaces collapsed, repeated headers
// joined with ','. The payload hash is the hex SHA-256 of the body, or
// UNSIGNED-PAYLOAD, or the value of an x-amz-content-sha256 header.
//
// A form POST (application/x-www-form-urlencoded) is signed like any other
// POST: the body is the payload and the canonical query holds only what the
// URL itself carries (aws-sig-v4-test-suite post-x-www-form-urlencoded;
// boto's HmacAuthV4Handler; Launchpad bug 1360892, where
// python-keystoneclient's Ec2Signer put the form parameters in the canonical
// query and rejected boto's signatures; see the ParamsInCanonicalQuery
// variant).
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
)

// Algorithm is the SigV4 algorithm name, first word of the Authorization
// header and value of X-Amz-Algorithm.
const Algorithm = "AWS4-HMAC-SHA256"

// UnsignedPayload is the payload hash used when the body is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// MaxClockSkew is how far X-Amz-Date may be from the verifier's clock for a
// header-signed request (AWS: RequestTimeTooSkewed beyond 15 minutes).
const MaxClockSkew = 15 * 60

// MaxPresignExpires is the largest X-Amz-Expires AWS accepts (7 days).
const MaxPresignExpires = 604800

// The stages Sign reports.
const (
	StageCanonicalRequest = "canonical_request"
	StageStringToSign     = "string_to_sign"
)

// Scheme is the SigV4 reference. It also takes signed requests apart
// (Explain).
var Scheme interface {
	sigconform.Scheme
	sigconform.Explainer
} = scheme{}

type scheme struct{}

func (scheme) Name() string { return "sigv4" }

func (scheme) Stages() []string { return []string{StageCanonicalRequest, StageStringToSign} }

func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	return sign(in, r)
}

func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	return verify(in, r)
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// SigningKey derives the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
// with date as YYYYMMDD.
func SigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

// Signature is the lowercase hex HMAC-SHA256 of the string to sign under
// the signing key.
func Signature(signingKey []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(signingKey, stringToSign))
}

// AuthorizationHeader formats the Authorization header value.
func AuthorizationHeader(accessKey, scope, signedHeaders, signature string) string {
	return fmt.Sprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		Algorithm, accessKey, scope, signedHeaders, signature)
}

// normalizeFor reads Context.NormalizePath (default true).
func normalizeFor(c sigconform.Context) bool {
	return c.NormalizePath == nil || *c.NormalizePath
}

// neverSigned are headers AWS's signers leave out of SignedHeaders because
// proxies rewrite them (botocore SIGNED_HEADERS_BLACKLIST; aws-c-auth
// s_skipped_headers), plus the Authorization header itself.
var neverSigned = []string{"authorization", "expect", "user-agent", "x-amzn-trace-id"}

// unsigned lists the headers a signer following r leaves out.
func (r rules) unsigned() []string {
	switch {
	case r.allHeadersSigned, r.hostAndAmzOnly:
		// boto 2 signs x-amzn-trace-id: its name starts with x-amz.
		return []string{"authorization"}
	case r.expectSigned:
		return slices.DeleteFunc(slices.Clone(neverSigned), func(n string) bool { return n == "expect" })
	case r.rangeUnsigned:
		return append(slices.Clone(neverSigned), "range")
	}
	return neverSigned
}

// canonicalInput is everything a canonical request is built from.
type canonicalInput struct {
	method    string
	u         parsedURL
	headers   []sigconform.Header
	signed    []string // lowercased header names to sign
	query     []queryPair
	payload   string
	normalize bool
	formBody  string // the form body when params-in-canonical-query applies
	r         rules
}

// build returns the canonical request and the signed headers list. A header
// named in signed but absent is reported.
func (c canonicalInput) build() (creq, signedHeaders string, err error) {
	keep := func(n string) bool { return slices.Contains(c.signed, n) }
	list := canonicalHeaderList(c.headers, keep, c.r)
	if len(list) != len(c.signed) {
		for _, n := range c.signed {
			if !slices.ContainsFunc(list, func(h canonHeader) bool { return h.name == n }) {
				return "", "", fmt.Errorf("signed header %q is not in the request", n)
			}
		}
		return "", "", fmt.Errorf("signed headers %q listed twice", strings.Join(c.signed, ";"))
	}
	block, signedHeaders := formatHeaders(list)
	query := c.query
	if c.r.formParamsInQuery && c.formBody != "" {
		query = append(slices.Clone(query), formDecode(c.formBody)...)
	}
	cq := canonicalPairs(query, c.r)
	if c.r.goValuesQuery {
		cq = goValuesQuery(c.u.rawQuery)
	}
	if (c.r.postQueryIgnored || c.r.postQueryInBody) && strings.EqualFold(c.method, "POST") {
		cq = ""
	}
	uri := canonicalURIFor(c.u.path, c.normalize, c.r)
	creq = CanonicalRequest(c.method, uri, cq, block, signedHeaders, c.payload)
	return creq, signedHeaders, nil
}
