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
