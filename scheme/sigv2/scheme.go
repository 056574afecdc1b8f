// Package sigv2 is sigconform's reference signer and verifier for the AWS
// Query API "Signature Version 2" (EC2, SimpleDB, SQS, IAM, EMR, ...) and
// for the older versions 0 and 1 that OpenStack keystone still verifies.
//
// # Version 2
//
// The string to sign is
//
//	HTTPVerb \n ValueOfHostHeaderInLowercase \n HTTPRequestURI \n CanonicalizedQueryString
//
// where the host keeps its port only when the port is not the scheme's
// default, an empty path is "/", and the query string holds every parameter
// but Signature (SignatureMethod, SignatureVersion, AWSAccessKeyId and
// Timestamp/Expires included), sorted by name in byte order, names and values
// percent-encoded per RFC 3986 (A-Z a-z 0-9 - _ . ~ kept, %XX uppercase,
// space %20). The signature is Base64 (standard alphabet) of HMAC-SHA256 or
// HMAC-SHA1 as SignatureMethod says. Sources:
//   - AWS, "Signature Version 2 signing process", General Reference,
//     https://docs.aws.amazon.com/general/latest/gr/signature-version-2.html,
//     and the same text in the Amazon EMR Developer Guide,
//     http://docs.amazonwebservices.com/ElasticMapReduce/2009-03-31/DeveloperGuide/generate-a-signature.html
//   - aws/aws-sdk-go@2a96294aa57fe430ee5f51c08b0d2691212b2fb6:private/signer/v2/v2.go
//   - boto/botocore@46ac74ad164c4cef48c844dd2f82ea05e1440f6d:botocore/auth.py SigV2Auth
//   - boto/boto@01bd917e1fc231979f8ca144960b631aad255a88:boto/auth.py QuerySignatureV2AuthHandler
//   - openstack/python-keystoneclient@2e6459f2f1c0c574c76a3ddf55a2fbb85cf7b7ef:keystoneclient/contrib/ec2/utils.py Ec2Signer
//
// # Versions 0 and 1
//
// Context.SignatureVersion "0" or "1" selects them; both are HMAC-SHA1 and
// send no SignatureMethod. Version 1 signs the parameters (all but
// Signature) sorted by name without regard to case, each name immediately
// followed by its value, unencoded. The sort is stable, as Python's sort by
// the lowercased name is, so names equal but for case (foo, Foo, FOO) keep
// the order they are listed in: the request's, then the authentication
// parameters the signer adds. Version 0 signs Action followed by
// Timestamp. Both follow keystoneclient's Ec2Signer._calc_signature_1 and
// _calc_signature_0, the only verifier of them still maintained.
//
// # Signing
//
// Sign reads the action's parameters from the URL (GET) or from the
// application/x-www-form-urlencoded body (POST), drops any old Signature,
// sets AWSAccessKeyId, SignatureVersion, SignatureMethod (version 2 only),
// SecurityToken when the credentials carry a session token (as botocore,
// boto and aws-sdk-go v1 do), and Timestamp from Context.Time in the form
// 2006-01-02T15:04:05Z unless the request already has Timestamp or Expires.
// For GET, Result.URL is the URL with the canonical query and
// &Signature=<Encode(signature)> appended. For POST, Result.URL is the URL
// unchanged: the parameters and the Signature travel in the body, which the
// shared Result type has no field for; the body is
// CanonicalQuery(params)+"&Signature="+Encode(signature). Under version 1,
// names equal but for case are written among themselves in the order they
// were signed in (each group keeping the places byte order gives it), so
// that a verifier reading them in the order received signs them in that
// order too.
//
// # Verifying
//
// Verify refuses with missing-parameter a request without Signature,
// AWSAccessKeyId or SignatureVersion, a version 2 request without
// SignatureMethod, and one with neither Timestamp nor Expires (AWS requires
// one of them); with malformed an unknown SignatureVersion or
// SignatureMethod, a request with both Timestamp and Expires, or a time it
// cannot read; with unknown-key an access key other than the one it holds;
// with expired a Timestamp more than 15 minutes from Context.Time (either
// way) or an Expires in the past; with wrong-encoding a signature that is the
// right HMAC written otherwise (URL-safe Base64, no padding, hex, or with
// its + turned into spaces because the client did not URL-encode it); else
// bad-signature.
package sigv2

import (
	"time"

	"github.com/sigconform/sigconform"
)

// Stage names.
const (
	// StageStringToSign is the string the HMAC is computed over.
	StageStringToSign = "string_to_sign"
)

// ClockSkew is how far a Timestamp may be from the verifier's clock. AWS
// documents 15 minutes; keystone's [credential] auth_ttl defaults to 15
// minutes too.
const ClockSkew = 15 * time.Minute

// TimeFormat is the Timestamp the signer writes (aws-sdk-go v1 timeFormat,
// botocore ISO8601, boto.utils.get_ts).
const TimeFormat = "2006-01-02T15:04:05Z"

type scheme struct{}

// Scheme is the Signature Version 2 (and 0, 1) reference. It also takes
// signed requests apart (Explain).
var Scheme interface {
	sigconform.Scheme
	sigconform.Explainer
} = scheme{}

func (scheme) Name() string     { return "sigv2" }
func (scheme) Stages() []string { return []string{StageStringToSign} }
