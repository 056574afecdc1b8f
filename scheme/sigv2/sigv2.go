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
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Stage names.
const (
	// StageStringToSign is the string the HMAC is computed over.
	StageStringToSign = "string_to_sign"
)

// Named variants: what real implementations do differently from the
// reference.
const (
	// PlusForSpace writes a space as + in the canonical query.
	PlusForSpace = "plus-for-space"
	// TildeEncoded writes ~ as %7E in the canonical query.
	TildeEncoded = "tilde-encoded"
	// HostWithoutPort signs the host name without any port.
	HostWithoutPort = "host-without-port"
	// HostAsWritten signs the URL's host[:port] exactly as written: not
	// lowercased, a default port kept when the URL spells it out.
	HostAsWritten = "host-as-written"
	// Keystone verifies as OpenStack keystone's /v3/ec2tokens does.
	Keystone = "keystone"
	// PathDecoded signs the percent-decoded path.
	PathDecoded = "path-decoded"
	// SecurityTokenUnsigned leaves the session token out of the parameters.
	SecurityTokenUnsigned = "security-token-unsigned"
	// GetVerb signs "GET" as the method whatever the request's is.
	GetVerb = "get-verb"
	// Libcloud is everything libcloud's version 2 signer does at once.
	Libcloud = "libcloud"
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

// variants are ordered from the narrowest behaviour to the broadest: a
// diagnosis names the first whose signature matches.
var variants = []sigconform.Variant{
	{
		Name:    TildeEncoded,
		Summary: "encodes ~ as %7E (RFC 2396 style) in the canonical query string; AWS rejects the signature",
		Refs: []string{
			"https://github.com/aws/aws-sdk-ruby/pull/36 ('Fix SignatureDoesNotMatch caused by URI escape not conform to RFC 3986: replace %7E with ~')",
			"boto/botocore@46ac74ad164c4cef48c844dd2f82ea05e1440f6d:botocore/auth.py SigV2Auth.calc_signature and openstack/python-keystoneclient@2e6459f2f1c0c574c76a3ddf55a2fbb85cf7b7ef:keystoneclient/contrib/ec2/utils.py _canonical_qs quote parameter names with safe='', which encodes ~ in names on Python < 3.7 (values use safe='-_~')",
		},
		Signs: true,
	},
	{
		Name: PlusForSpace,
		Summary: "encodes a space as + instead of %20 in the canonical query string " +
			"(quote_plus / url.QueryEscape / URLEncoder used unpatched); AWS rejects the signature",
		Refs: []string{
			"https://github.com/morgoth/alexa/pull/5 (Alexa Web Information Service SigV2 client: 'signature version 2 should encode the space character as %20 and not +')",
			"https://github.com/dominicphillips/amazing/pull/2 (Go Product Advertising API SigV2 client used url.QueryEscape's + for space)",
			"aws/aws-sdk-go@2a96294aa57fe430ee5f51c08b0d2691212b2fb6:private/signer/v2/v2.go shows the fix: strings.Replace(url.QueryEscape(v), \"+\", \"%20\", -1)",
		},
		Signs: true,
	},
	{
		Name:    PathDecoded,
		Summary: "signs the request path percent-decoded (/my service/, /~user/, /café/) instead of as sent (/my%20service/): aws-sdk-go v1 reads url.URL.Path, which net/url keeps decoded",
		Refs: []string{
			"aws/aws-sdk-go@v1.55.8:private/signer/v2/v2.go:126-130 (path := v2.Request.URL.Path); shown by adapter awsv1 (path/encoded-space, encoded-tilde, utf8)",
		},
		Signs: true,
	},
	{
		Name: SecurityTokenUnsigned,
		Summary: "leaves the session token out of the signed parameters (no SecurityToken), as libcloud's version 2 signer does: SignedAWSConnection.add_default_params replaces " +
			"AWSTokenConnection's, so the token only travels as an x-amz-security-token header, which a SigV2 server does not read",
		Refs: []string{
			"apache-libcloud 3.4.1:libcloud/common/aws.py:406-408 (SignedAWSConnection.add_default_params: signer.get_request_params only) and 168-173 (AWSTokenConnection.add_default_params, the one that would add the token, not called); shown by adapter libcloud (auth/session-token, post/form-session-token, published/aws-sdk-go-createdomain-session)",
		},
		Signs: true,
	},
	{
		Name: HostWithoutPort,
		Summary: "signs the host name without its port even when the port is not the default, " +
			"as boto 2 does (it signs the connection's host, the port kept apart); keystone retries without the port to accept it",
		Refs: []string{
			"boto/boto@01bd917e1fc231979f8ca144960b631aad255a88:boto/auth.py QuerySignatureHelper.add_auth passes http_request.host, which boto/connection.py build_base_http_request sets to the connection's host (port passed separately)",
			"shown by adapter boto (host/https-non-default-port, http-non-default-port, ipv4-host, ipv6-host-port, ...)",
			"openstack/keystone@0bb9cdee71805af1a7cb0a7db110b336eae5da1e:keystone/api/ec2tokens.py _check_signature: 'NOTE(vish): Some client libraries don't use the port when signing requests, so try again without the port.'",
		},
		Signs: true,
	},
	{
		Name: HostAsWritten,
		Summary: "signs the URL's host[:port] exactly as written: not lowercased, and a default port " +
			"(https://host:443/) kept, while HTTP clients drop it from the Host header",
		Refs: []string{
			"boto/botocore@46ac74ad164c4cef48c844dd2f82ea05e1440f6d:botocore/auth.py SigV2Auth.calc_signature signs urlsplit(request.url).netloc",
			"aws/aws-sdk-go@2a96294aa57fe430ee5f51c08b0d2691212b2fb6:private/signer/v2/v2.go signs v2.Request.URL.Host (v1.55.8: v2.go:126)",
			"shown by adapters botocore and awsv1 (host/uppercase-host, uppercase-host-with-port, https-default-port, http-default-port), keystoneclient (its signer takes the host as the adapter's client hands it) and libcloud (apache-libcloud 3.4.1:libcloud/common/aws.py:250-253 signs connection.host as given, not lowercased, but drops a default port: it matches on hosts without one)",
		},
		Signs: true,
	},
	{
		Name:    GetVerb,
		Summary: "signs GET as the method line even for a POST, as libcloud's version 2 signer does; every POST is signed wrongly",
		Refs: []string{
			"apache-libcloud 3.4.1:libcloud/common/aws.py:255 (_get_aws_auth_param: string_to_sign = '\\n'.join(('GET', hostname, path, qs))); shown by adapter libcloud (post/form, form-unsorted, form-long-value, published/aws-sdk-go-createdomain, ...)",
		},
		Signs: true,
	},
	{
		Name: Libcloud,
		Summary: "libcloud's version 2 signer, for inputs where its behaviours combine: GET as the method line (get-verb), no SecurityToken (security-token-unsigned), " +
			"and the host as given, not lowercased, with ':port' only for a port other than the scheme's default",
		Refs: []string{
			"apache-libcloud 3.4.1:libcloud/common/aws.py:214-262 (AWSRequestSignerAlgorithmV2) and 406-408 (SignedAWSConnection.add_default_params); shown by adapter libcloud (post/form-session-token, published/aws-sdk-go-createdomain-session, aws-sdk-go-putattributes-complex: a POST with a session token)",
		},
		Signs: true,
	},
	{
		Name: Keystone,
		Summary: "verifies as OpenStack keystone's /v3/ec2tokens with keystoneclient's Ec2Signer: version 2 is always " +
			"recomputed with SignatureMethod=HmacSHA256 (an HmacSHA1 request fails), the host is used as received and, on " +
			"mismatch, once more without its port; Timestamp is optional and only checked for being more than 15 minutes old " +
			"(a future one passes); Expires is ignored",
		Refs: []string{
			"openstack/python-keystoneclient@2e6459f2f1c0c574c76a3ddf55a2fbb85cf7b7ef:keystoneclient/contrib/ec2/utils.py Ec2Signer._calc_signature_2 sets params['SignatureMethod'] = 'HmacSHA256' whenever hashlib.sha256 exists",
			"openstack/keystone@0bb9cdee71805af1a7cb0a7db110b336eae5da1e:keystone/api/ec2tokens.py _check_signature (retry without port)",
			"openstack/keystone@0e2166742f7749d8f93200b4ccd995347912b4fa:keystone/api/_shared/EC2_S3_Resource.py _check_timestamp ('If the signed payload doesn't include a timestamp then the signer must have intentionally left it off'; expired only when now > Timestamp + auth_ttl)",
		},
		Verifies: true,
	},
}

func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

func knownVariant(v string) bool {
	if v == "" {
		return true
	}
	_, ok := sigconform.LookupVariant(Scheme, v)
	return ok
}

func errUnknownVariant(v string) error {
	return fmt.Errorf("sigv2: %w %q", sigconform.ErrUnknownVariant, v)
}
