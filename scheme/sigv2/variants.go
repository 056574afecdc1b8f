package sigv2

import (
	"fmt"

	"github.com/sigconform/sigconform"
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

// rules are the switches a variant turns.
type rules struct {
	plus, tilde bool
	host        hostRule
	getVerb     bool // "GET" whatever the method (libcloud)
	decodedPath bool // the path percent-decoded (aws-sdk-go v1's URL.Path)
	noToken     bool // the session token not added as SecurityToken (libcloud)
	keystone    bool // verified as keystone's /v3/ec2tokens (verifying only)
}

type hostRule int

const (
	hostReference hostRule = iota // lowercase, default port dropped
	hostNoPort                    // lowercase, any port dropped (boto 2)
	hostWritten                   // as written (botocore, aws-sdk-go v1)
	hostCaseKept                  // not lowercased, default port dropped (libcloud)
)

// rulesFor returns the rules of variant ("" is the reference), or an error
// wrapping sigconform.ErrUnknownVariant.
func rulesFor(variant string) (rules, error) {
	switch variant {
	case "":
		return rules{}, nil
	case PlusForSpace:
		return rules{plus: true}, nil
	case TildeEncoded:
		return rules{tilde: true}, nil
	case HostWithoutPort:
		return rules{host: hostNoPort}, nil
	case HostAsWritten:
		return rules{host: hostWritten}, nil
	case GetVerb:
		return rules{getVerb: true}, nil
	case PathDecoded:
		return rules{decodedPath: true}, nil
	case SecurityTokenUnsigned:
		return rules{noToken: true}, nil
	case Libcloud:
		return rules{getVerb: true, noToken: true, host: hostCaseKept}, nil
	case Keystone:
		return rules{keystone: true}, nil
	}
	return rules{}, fmt.Errorf("sigv2: %w %q", sigconform.ErrUnknownVariant, variant)
}
