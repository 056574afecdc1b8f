package sigv4

import (
	"fmt"

	"github.com/sigconform/sigconform"
)

// Variants returns a copy of the list of variants at the end of this file.
func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

// The named variants: what real implementations do differently from the
// reference. Variants() lists them from the narrowest behaviour (it changes
// the signature of few requests) to the broadest, because a diagnosis names
// the first variant whose signature matches; the library profiles, which
// combine several behaviours, come last.
const (
	// ParamsInCanonicalQuery puts the parameters of a form POST body into
	// the canonical query string (sorted with any URL parameters) and still
	// hashes the body as the payload: python-keystoneclient's Ec2Signer
	// before the fix for Launchpad bug 1360892.
	ParamsInCanonicalQuery = "params-in-canonical-query"
	// PostQueryIgnored leaves the canonical query string empty for every
	// POST, even when the URL has a query: python-keystoneclient's
	// Ec2Signer after the fix for bug 1360892.
	PostQueryIgnored = "post-query-ignored"
	// PostQueryInBody sends the URL query of a POST as its form body
	// instead: the canonical query is empty and the payload is the hash of
	// that query string (boto 2).
	PostQueryInBody = "post-query-in-body"
	// SessionTokenUnsigned adds X-Amz-Security-Token after signing, so the
	// token is sent but not signed: aws-sig-v4-test-suite
	// post-sts-header-after. A case that asks for this (aws-c-auth's
	// omit_session_token flag) says so in Context.OmitSessionToken; the
	// variant is a client that does it unasked.
	SessionTokenUnsigned = "session-token-unsigned"
	// SemicolonPairDropped leaves a query parameter written with a raw ';'
	// out of the canonical query (Go's net/url since Go 1.17).
	SemicolonPairDropped = "semicolon-pair-dropped"
	// ValueCutAtEquals keeps a query value only up to a second raw '='
	// (@smithy's parseQueryString).
	ValueCutAtEquals = "value-cut-at-equals"
	// ValuelessKeyDropped leaves a query name without '=' out of the
	// canonical query (@smithy's parseQueryString and getCanonicalQuery).
	ValuelessKeyDropped = "valueless-key-dropped"
	// PresignBodyInQuery moves the fields of a JSON body into the query of
	// a presigned URL and signs an empty body (botocore SigV4QueryAuth).
	PresignBodyInQuery = "presign-body-in-query"
	// PresignDateHeaderSigned signs an X-Amz-Date header that a presigned
	// request carries (botocore, aws4).
	PresignDateHeaderSigned = "presign-date-header-signed"
	// ExpectSigned signs an Expect header (aws-sdk-go v1).
	ExpectSigned = "expect-signed"
	// RangeUnsigned leaves a Range header out of the signed headers (aws4).
	RangeUnsigned = "range-unsigned"
	// RepeatedHeaderJoinedBeforeTrim joins the values of a repeated header
	// with ',' before trimming, so the spaces around each value survive
	// next to the commas (aws4).
	RepeatedHeaderJoinedBeforeTrim = "repeated-header-joined-before-trim"
	// TabsNotCollapsed collapses runs of spaces inside a header value but
	// not tabs (aws-sdk-go v1 and v2).
	TabsNotCollapsed = "tabs-not-collapsed"
	// InnerWhitespaceKept only trims header values; runs of spaces and
	// tabs inside them are kept (keystoneclient, libcloud).
	InnerWhitespaceKept = "inner-whitespace-kept"
	// QuerySortedBeforeEncoding sorts the query parameters by their decoded
	// names (and values) instead of the encoded ones (aws-sdk-go v1, boto
	// 2, keystoneclient, libcloud).
	QuerySortedBeforeEncoding = "query-sorted-before-encoding"
	// QueryNotReencoded signs the URL's query pieces as written, sorted but
	// not decoded and encoded again (botocore).
	QueryNotReencoded = "query-not-reencoded"
	// UnsafePathEscaped percent-encodes the bytes of a path that cannot be
	// sent raw before signing (and sends that path), so a normalized
	// canonical URI encodes those escapes a second time (aws4).
	UnsafePathEscaped = "unsafe-path-escaped"
	// PosixNormpath normalizes the path with Python's posixpath.normpath
	// (two leading slashes kept, a trailing slash put back) (boto 2).
	PosixNormpath = "posix-normpath"
	// PathNotNormalized encodes the path for the canonical URI but never
	// removes dot segments or empty segments (aws-sdk-go v1 and v2).
	PathNotNormalized = "path-not-normalized"
	// PathDecodedReencoded percent-decodes the path as received and
	// URI-encodes it once again, never normalizing it: an escape of an
	// unreserved byte or of '/' is signed as that byte, a lowercase escape
	// in uppercase (versitygw, an S3 gateway).
	PathDecodedReencoded = "path-decoded-reencoded"
	// PathUnencoded signs the path exactly as the URL writes it: no
	// normalization, no encoding (keystoneclient, libcloud, botocore's S3
	// signer, aws-sdk-go v2 and @smithy with S3's options).
	PathUnencoded = "path-unencoded"
	// PayloadAlwaysBodyHash hashes the body as the payload even when the
	// request sends X-Amz-Content-Sha256 or asks for UNSIGNED-PAYLOAD
	// (boto 2, keystoneclient's Ec2Signer).
	PayloadAlwaysBodyHash = "payload-always-body-hash"
	// BodyHeadersSigned adds Content-Type and Content-Length to a request
	// with a body when they are missing, and signs them (aws4).
	BodyHeadersSigned = "body-headers-signed"
	// HostAndAmzHeadersOnly signs only Host and the headers whose name
	// starts with x-amz (boto 2).
	HostAndAmzHeadersOnly = "host-and-amz-headers-only"
	// ContentSha256Signed always adds X-Amz-Content-Sha256 (the payload
	// hash) and signs it (botocore's S3 signer, aws-sdk-go v1 with an
	// unsigned payload, libcloud).
	ContentSha256Signed = "content-sha256-signed"
	// BotocoreS3 is botocore's S3SigV4Auth: ContentSha256Signed and
	// PathUnencoded together.
	BotocoreS3 = "botocore-s3"
	// Boto2V4 is boto 2's HmacAuthV4Handler: HostAndAmzHeadersOnly,
	// PosixNormpath, QuerySortedBeforeEncoding, PostQueryInBody and
	// PayloadAlwaysBodyHash together, and a header value with a '"' is
	// only trimmed.
	Boto2V4 = "boto2-v4"
	// LibcloudV4 is libcloud's AWSRequestSignerAlgorithmV4: every header
	// signed, sorted by its name as written, values only trimmed, the path
	// unencoded, the query sorted before encoding, X-Amz-Content-Sha256
	// signed, and a payload hash chosen by the method.
	LibcloudV4 = "libcloud-v4"
	// FutureDateAccepted refuses only an X-Amz-Date more than 15 minutes
	// old: a future one passes and X-Amz-Expires is not read (keystone's
	// /v3/ec2tokens).
	FutureDateAccepted = "future-date-accepted"
	// Gofakes3PayloadUnchecked signs whatever X-Amz-Content-Sha256 says
	// and never compares it with the body; without that header the
	// payload is the hash of the empty string, whatever the body; a
	// presigned request is always UNSIGNED-PAYLOAD (rclone's gofakes3, the
	// verifier of rclone serve s3).
	Gofakes3PayloadUnchecked = "gofakes3-payload-unchecked"
	// Gofakes3QueryValuesEncode makes the canonical query with Go's
	// url.ParseQuery and url.Values.Encode: names sorted decoded, a name's
	// values kept in request order, a piece with ';' or a bad escape
	// dropped, '+' read as a space (rclone's gofakes3).
	Gofakes3QueryValuesEncode = "gofakes3-query-values-encode"
	// Gofakes3 is rclone serve s3's verifier (rclone v1.76.0, gofakes3
	// v0.0.12): the two rules above and path-decoded-reencoded.
	Gofakes3 = "gofakes3"
)

// rules are the switches a variant turns.
type rules struct {
	// What the canonical query holds.
	formParamsInQuery bool // form body parameters added
	postQueryIgnored  bool // POST: empty
	postQueryInBody   bool // POST: empty, the query is the body
	tokenUnsigned     bool // presign: X-Amz-Security-Token left out
	semicolonDropped  bool // a raw piece with ';' left out
	valueCutAtEquals  bool // "a=b=c" is a=b
	valuelessDropped  bool // "a" left out; "a&a=1" has a=null
	presignBodyQuery  bool // presign: JSON body fields added, body empty
	sortDecoded       bool // sorted by decoded name, then decoded value
	queryRaw          bool // URL pieces kept as written

	// Which headers are signed (signing only: a verifier reads them from
	// SignedHeaders).
	presignDateSigned bool // presign: an X-Amz-Date header is signed
	expectSigned      bool
	rangeUnsigned     bool
	hostAndAmzOnly    bool
	allHeadersSigned  bool // user-agent, expect, x-amzn-trace-id too
	bodyHeaders       bool // Content-Type/Content-Length added
	contentSha256     bool // X-Amz-Content-Sha256 added
	amzNamesUpper     bool // added as X-AMZ-Date, X-AMZ-Content-SHA256

	// How header values and names are canonicalized.
	headerTrim        trimMode
	repeatedJoinFirst bool // values joined with ',' before trimming
	quotedOnlyTrimmed bool // a value with '"' is only trimmed
	sortAsWritten     bool // headers sorted by their names as written

	// The canonical URI.
	path pathMode

	// The payload hash.
	payloadBody     bool // always the hash of the body
	payloadByMethod bool // libcloud's choice by method

	// The verifier's clock: only "too old" is checked.
	futureAccepted bool

	// gofakes3 (verifying only): the payload hash taken from
	// X-Amz-Content-Sha256 unchecked, and the canonical query of Go's
	// url.Values.Encode.
	payloadUnchecked bool
	goValuesQuery    bool
}

// verifyOnly reports the rules that change only what a verifier accepts,
// never what a client signs: Explain refuses them.
func (r rules) verifyOnly() bool {
	return r.futureAccepted || r.payloadUnchecked || r.goValuesQuery
}

// trimMode says how a header value is canonicalized.
type trimMode int

const (
	trimAll       trimMode = iota // trimmed, runs of whitespace collapsed
	trimSpaceRuns                 // trimmed, runs of spaces collapsed, tabs kept
	trimEnds                      // trimmed only
)

// pathMode says how the canonical URI is made from the path.
type pathMode int

const (
	pathReference    pathMode = iota // as CanonicalURI
	pathEscapedFirst                 // unsafe bytes escaped, then as CanonicalURI
	pathPosix                        // posixpath.normpath, then encoded
	pathNoNormalize                  // encoded without normalization
	pathAsWritten                    // neither normalized nor encoded
	pathDecoded                      // decoded, then encoded once; never normalized
)

func rulesFor(variant string) (rules, error) {
	switch variant {
	case "":
		return rules{}, nil
	case ParamsInCanonicalQuery:
		return rules{formParamsInQuery: true}, nil
	case PostQueryIgnored:
		return rules{postQueryIgnored: true}, nil
	case PostQueryInBody:
		return rules{postQueryInBody: true}, nil
	case SessionTokenUnsigned:
		return rules{tokenUnsigned: true}, nil
	case SemicolonPairDropped:
		return rules{semicolonDropped: true}, nil
	case ValueCutAtEquals:
		return rules{valueCutAtEquals: true}, nil
	case ValuelessKeyDropped:
		return rules{valuelessDropped: true}, nil
	case PresignBodyInQuery:
		return rules{presignBodyQuery: true}, nil
	case PresignDateHeaderSigned:
		return rules{presignDateSigned: true}, nil
	case ExpectSigned:
		return rules{expectSigned: true}, nil
	case RangeUnsigned:
		return rules{rangeUnsigned: true}, nil
	case RepeatedHeaderJoinedBeforeTrim:
		return rules{repeatedJoinFirst: true}, nil
	case TabsNotCollapsed:
		return rules{headerTrim: trimSpaceRuns}, nil
	case InnerWhitespaceKept:
		return rules{headerTrim: trimEnds}, nil
	case QuerySortedBeforeEncoding:
		return rules{sortDecoded: true}, nil
	case QueryNotReencoded:
		return rules{queryRaw: true}, nil
	case UnsafePathEscaped:
		return rules{path: pathEscapedFirst}, nil
	case PosixNormpath:
		return rules{path: pathPosix}, nil
	case PathNotNormalized:
		return rules{path: pathNoNormalize}, nil
	case PathUnencoded:
		return rules{path: pathAsWritten}, nil
	case PathDecodedReencoded:
		return rules{path: pathDecoded}, nil
	case PayloadAlwaysBodyHash:
		return rules{payloadBody: true}, nil
	case BodyHeadersSigned:
		return rules{bodyHeaders: true}, nil
	case HostAndAmzHeadersOnly:
		return rules{hostAndAmzOnly: true}, nil
	case ContentSha256Signed:
		return rules{contentSha256: true}, nil
	case BotocoreS3:
		return rules{contentSha256: true, path: pathAsWritten}, nil
	case Boto2V4:
		return rules{hostAndAmzOnly: true, path: pathPosix, sortDecoded: true,
			postQueryInBody: true, payloadBody: true, quotedOnlyTrimmed: true}, nil
	case LibcloudV4:
		return rules{allHeadersSigned: true, sortAsWritten: true, headerTrim: trimEnds,
			path: pathAsWritten, sortDecoded: true, contentSha256: true, amzNamesUpper: true,
			payloadByMethod: true}, nil
	case FutureDateAccepted:
		return rules{futureAccepted: true}, nil
	case Gofakes3PayloadUnchecked:
		return rules{payloadUnchecked: true}, nil
	case Gofakes3QueryValuesEncode:
		return rules{goValuesQuery: true}, nil
	case Gofakes3:
		return rules{payloadUnchecked: true, goValuesQuery: true, path: pathDecoded}, nil
	}
	return rules{}, fmt.Errorf("sigv4: %w %q", sigconform.ErrUnknownVariant, variant)
}

// Where the libraries are pinned.
const (
	refAWSv2     = "aws/aws-sdk-go-v2@v1.47.7:"
	refAWSv1     = "aws/aws-sdk-go@v1.55.8:"
	refAWS4      = "mhart/aws4@v1.13.2:"
	refSmithy    = "smithy-lang/smithy-typescript@signature-v4-5.7.5,core-3.41.0:"
	refBotocore  = "boto/botocore@1.29.27:"
	refBoto      = "boto/boto@2.49.0:"
	refKeystone  = "openstack/python-keystoneclient@5.0.1:"
	refLibcloud  = "apache/libcloud@v3.4.1:"
	refVersityGW = "versity/versitygw@v1.8.0:"
	refGofakes3  = "rclone/gofakes3@v0.0.12:"
	refRclone    = "rclone/rclone@v1.76.0:"
	refGoNetURL  = "golang/go@go1.17+:src/net/url/url.go parseQuery ('invalid semicolon separator in query': the piece is skipped)"
	shownByAdapt = "shown by the sigconform adapters "
)

var variants = []sigconform.Variant{
	{
		Name: ParamsInCanonicalQuery,
		Summary: "form POST body parameters sorted into the canonical query string; " +
			"the body is still hashed as the payload (body_hash = sha256(req.body))",
		Refs: []string{
			"https://bugs.launchpad.net/python-keystoneclient/+bug/1360892",
			"redhat-openstack/python-keystoneclient@fafbb97aa1d579a077611889e08f63822fa384df:keystoneclient/contrib/ec2/utils.py " +
				"(Ec2Signer._calc_signature_4: cr joins self._canonical_qs(params) for every verb; _v4_creds docstring: body_hash is hashlib.sha256(req.body).hexdigest())",
			"openstack/python-keystoneclient@0774d5aafade9e5a5de3830de461843c4a7d59a1:keystoneclient/contrib/ec2/utils.py (same, before the fix)",
			"shared/seeds/002 (openstack-dev: heat cfn-push-stats 403 SignatureDoesNotMatch, boto vs keystoneclient)",
		},
		Signs: true, Verifies: true,
	},
	{
		Name:    PostQueryIgnored,
		Summary: "empty canonical query string for every POST, even when the URL carries a query",
		Refs: []string{
			"openstack/python-keystoneclient@2e6459f2f1c0c574c76a3ddf55a2fbb85cf7b7ef:keystoneclient/contrib/ec2/utils.py " +
				"(canonical_query_str: '' if verb.upper() == 'POST', the fix for bug 1360892)",
			refKeystone + "keystoneclient/contrib/ec2/utils.py:244-247 (canonical_query_str; " + shownByAdapt + "keystoneclient)",
			"aws-sig-v4-test-suite post-vanilla-query: AWS signs the URL query of a POST (Param1=value1)",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: PostQueryInBody,
		Summary: "the URL query of a POST is sent as an application/x-www-form-urlencoded body instead " +
			"(names sorted, URI-encoded): empty canonical query, the payload is the hash of that body",
		Refs: []string{
			refBoto + "boto/auth.py:385-389 (HmacAuthV4Handler.canonical_query_string: '' for POST) and :558-563 " +
				"(add_auth: req.body = qs, the query_string of :376-383, for a POST with parameters)",
			"boto/boto@01bd917e1fc231979f8ca144960b631aad255a88:boto/auth.py (same; quoted in shared/seeds/002)",
			shownByAdapt + "boto",
		},
		Signs: true,
	},
	{
		Name:    SessionTokenUnsigned,
		Summary: "X-Amz-Security-Token sent but left out of the signed headers / canonical query",
		Refs: []string{
			"aws-sig-v4-test-suite post-sts-token/post-sts-header-after (token header added after signing)",
			"awslabs/aws-c-auth@016780d26670dd294465b094067804e17d41065e:tests/sigv4_signing_tests.c " +
				"(context.json omit_session_token -> config->flags.omit_session_token; asked for, it is vector " +
				"context omit_session_token, not this variant)",
		},
		Signs: true,
	},
	{
		Name: SemicolonPairDropped,
		Summary: "a query parameter written with a raw ';' is left out of the canonical query " +
			"(it is still sent), because Go's url.ParseQuery skips such a piece",
		Refs: []string{
			refGoNetURL,
			refAWSv2 + "aws/signer/v4/v4.go:146 (httpSigner.Build: query := req.URL.Query())",
			refAWSv1 + "aws/signer/v4/v4.go:329 (signWithBody: Query: r.URL.Query())",
			shownByAdapt + "awsv2, awsv1",
		},
		Signs: true,
	},
	{
		Name:    ValueCutAtEquals,
		Summary: "a query value holding a raw '=' is cut there: a=b=c is signed as a=b",
		Refs: []string{
			refSmithy + "packages/core/src/submodules/transport/parseQueryString.ts " +
				"(dist-cjs/submodules/transport/index.js:121-141: let [key, value = null] = pair.split(\"=\"))",
			shownByAdapt + "smithy-signature-v4",
		},
		Signs: true,
	},
	{
		Name: ValuelessKeyDropped,
		Summary: "a query name without '=' is left out of the canonical query; repeated, " +
			"each valueless one is signed as the value \"null\"",
		Refs: []string{
			refSmithy + "packages/core/src/submodules/transport/parseQueryString.ts (value = null when the piece has no '=')",
			refSmithy + "packages/signature-v4/src/getCanonicalQuery.ts " +
				"(dist-cjs/index.js:178-207: a null value is neither a string nor an array and is filtered out; " +
				"in an array escapeUri(null) is \"null\")",
			shownByAdapt + "smithy-signature-v4",
		},
		Signs: true,
	},
	{
		Name: PresignBodyInQuery,
		Summary: "a presigned request's JSON body is parsed and its fields moved into the query string; " +
			"the body is emptied, so the payload is the empty-body hash",
		Refs: []string{
			refBotocore + "botocore/auth.py:89-99 (_get_body_as_dict: json.loads(request.data)) and " +
				"SigV4QueryAuth._modify_request_before_signing (query_dict.update(_get_body_as_dict(request)); request.data = '')",
			shownByAdapt + "botocore",
		},
		Signs: true,
	},
	{
		Name:    PresignDateHeaderSigned,
		Summary: "a presigned request that carries an X-Amz-Date header signs it as a header too",
		Refs: []string{
			refBotocore + "botocore/auth.py:231-245 (headers_to_sign: every header but expect, user-agent, x-amzn-trace-id)",
			refAWS4 + "aws4.js:298-309 (filterHeaders ignores only HEADERS_TO_IGNORE, so an X-Amz-Date header is signed when signQuery)",
			shownByAdapt + "botocore, aws4",
		},
		Signs: true,
	},
	{
		Name:    ExpectSigned,
		Summary: "an Expect header is signed (AWS's signers leave it out: proxies may remove it)",
		Refs: []string{
			refAWSv1 + "aws/signer/v4/v4.go:95-103 (ignoredHeaders: Authorization, User-Agent, X-Amzn-Trace-Id; no Expect)",
			refAWSv2 + "aws/signer/internal/v4/headers.go:4-13 (IgnoredHeaders has Expect: the v2 fix)",
			shownByAdapt + "awsv1",
		},
		Signs: true,
	},
	{
		Name:    RangeUnsigned,
		Summary: "a Range header is sent but left out of the signed headers",
		Refs: []string{
			refAWS4 + "aws4.js:33-41 (HEADERS_TO_IGNORE has 'range')",
			"Amazon S3 API Reference, sig-v4-header-based-auth example GET Object: range is signed",
			shownByAdapt + "aws4",
		},
		Signs: true,
	},
	{
		Name: RepeatedHeaderJoinedBeforeTrim,
		Summary: "the values of a repeated header are joined with ',' before trimming, so the spaces " +
			"around each value become one space beside the commas ('a , b' for '  a  ' and '  b  ')",
		Refs: []string{
			refAWS4 + "aws4.js:312-316 (canonicalHeaders: entry[1].toString().trim().replace(/\\s+/g, ' ') on the array of values)",
			shownByAdapt + "aws4",
		},
		Signs: true,
	},
	{
		Name:    TabsNotCollapsed,
		Summary: "header values trimmed and runs of spaces collapsed, but tabs inside the value kept",
		Refs: []string{
			refAWSv2 + "aws/signer/internal/v4/util.go:13-48 (StripExcessSpaces handles ' ' only) and aws/signer/v4/v4.go:462-465 (strings.TrimSpace(StripExcessSpaces(v)))",
			refAWSv1 + "aws/signer/v4/v4.go:650-659,795-830 (strings.TrimSpace, then stripExcessSpaces on ' ' only)",
			shownByAdapt + "awsv2, awsv1",
		},
		Signs: true,
	},
	{
		Name:    InnerWhitespaceKept,
		Summary: "header values only trimmed: runs of spaces or tabs inside a value are signed as they are",
		Refs: []string{
			refKeystone + "keystoneclient/contrib/ec2/utils.py:220 (headers_lower: v.strip() only)",
			refLibcloud + "libcloud/common/aws.py:338-340 (_get_canonical_headers: str(v).strip())",
			shownByAdapt + "keystoneclient (sign and verify), libcloud",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: QuerySortedBeforeEncoding,
		Summary: "query parameters sorted by their decoded names (then decoded values) and encoded afterwards, " +
			"so aZ sorts before a%5B ('Z' < '[' but '%' < 'Z')",
		Refs: []string{
			refAWSv1 + "aws/signer/v4/v4.go:339-341,664 (sort.Strings on each key's values; url.Values.Encode sorts the decoded keys)",
			refBoto + "boto/auth.py:391-395 (canonical_query_string: for param in sorted(http_request.params))",
			refKeystone + "keystoneclient/contrib/ec2/utils.py:133-141 (_canonical_qs: keys.sort() on decoded names)",
			refLibcloud + "libcloud/common/aws.py:356-360 (_get_request_params: sorted(params.items()))",
			"aws/aws-sdk-go-v2@v1.47.7:aws/signer/internal/v4/util.go:83-98 (EncodeQuery: 'the sorting occurs after encoding', the fix)",
			shownByAdapt + "awsv1, boto, keystoneclient (sign and verify), libcloud",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: QueryNotReencoded,
		Summary: "the URL's query pieces are signed as written (split at the first '=', sorted), not decoded " +
			"and URI-encoded again: %7E, a raw '*', lowercase escapes and raw UTF-8 stay as they are",
		Refs: []string{
			refBotocore + "botocore/auth.py:274-288 (SigV4Auth._canonical_query_string_url: key, _, value = pair.partition('='), no quoting)",
			shownByAdapt + "botocore",
		},
		Signs: true,
	},
	{
		Name: UnsafePathEscaped,
		Summary: "the client percent-encodes a path byte that cannot be sent raw (a space, non-ASCII) before " +
			"signing and sends the escaped path, so the normalized canonical URI encodes that escape again " +
			"(%2520); the request as sent verifies, only one sent with the raw byte would not",
		Refs: []string{
			refAWS4 + "aws4.js:342-351 (parsePath: path = encodeURI(decodeURI(path)) when the path has a byte outside [0-9A-Za-z;,/?:@&=+$\\-_.!~*'()#%])",
			shownByAdapt + "aws4",
		},
		Signs: true,
	},
	{
		Name: PosixNormpath,
		Summary: "the path normalized with Python's posixpath.normpath, so two leading slashes stay ('//a//b//' " +
			"is '//a/b/') and a trailing slash is put back even on the root ('/./' is '//')",
		Refs: []string{
			refBoto + "boto/auth.py:421-430 (HmacAuthV4Handler.canonical_uri: quote(posixpath.normpath(path)) + '/' when len(path) > 1 and path ends with '/')",
			shownByAdapt + "boto",
		},
		Signs: true,
	},
	{
		Name: PathNotNormalized,
		Summary: "the path URI-encoded (escapes encoded again) for the canonical URI, but its dot segments " +
			"and empty segments never removed",
		Refs: []string{
			refAWSv2 + "aws/signer/v4/v4.go:182-185 (GetURIPath then httpbinding.EscapePath; no normalization anywhere)",
			refAWSv1 + "aws/signer/v4/v4.go:666-670 (getURIPath then rest.EscapePath)",
			shownByAdapt + "awsv2, awsv1",
		},
		Signs: true,
	},
	{
		Name: PathUnencoded,
		Summary: "the path signed exactly as the URL writes it: dot segments and empty segments kept, nothing " +
			"encoded (a raw space or UTF-8 stays raw, '%20' stays '%20'), an empty path stays empty",
		Refs: []string{
			refKeystone + "keystoneclient/contrib/ec2/utils.py:255 (cr joins credentials['path'] as given)",
			refLibcloud + "libcloud/common/aws.py:362-370 (_get_canonical_request: path as given)",
			refBotocore + "botocore/auth.py:527-529 (S3SigV4Auth._normalize_url_path returns the path)",
			refAWSv2 + "aws/signer/v4/v4.go:182-185 (DisableURIPathEscaping: GetURIPath, the URL's Opaque path verbatim)",
			refSmithy + "packages/signature-v4/src/SignatureV4Base.ts getCanonicalPath (uriEscapePath false: return path)",
			shownByAdapt + "keystoneclient (sign and verify), libcloud, botocore, awsv2 and smithy-signature-v4 with normalize_path false",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: PayloadAlwaysBodyHash,
		Summary: "the payload hash is always the SHA-256 of the body, even when the request sends " +
			"X-Amz-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) or is signed with UNSIGNED-PAYLOAD",
		Refs: []string{
			refBoto + "boto/auth.py:432-441 (HmacAuthV4Handler.payload: sha256(body) whatever x-amz-content-sha256 says)",
			refKeystone + "keystoneclient/contrib/ec2/utils.py:255-259 (cr ends with the caller's body_hash, sha256(req.body))",
			refAWSv2 + "aws/signer/v4/middleware.go:156 (ComputePayloadSHA256.HandleFinalize hashes the body and never reads the header; SignHTTP signs that hash)",
			shownByAdapt + "boto, awsv2, keystoneclient (verify)",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: BodyHeadersSigned,
		Summary: "for a request with a body, Content-Type (application/x-www-form-urlencoded; charset=utf-8) " +
			"and Content-Length are added when missing, and signed",
		Refs: []string{
			refAWS4 + "aws4.js:147-152 (prepareRequest: headers['Content-Type'] and headers['Content-Length'] = Buffer.byteLength(request.body))",
			shownByAdapt + "aws4",
		},
		Signs: true,
	},
	{
		Name:    HostAndAmzHeadersOnly,
		Summary: "only Host and the headers whose name starts with x-amz (x-amzn-trace-id included) are signed",
		Refs: []string{
			refBoto + "boto/auth.py:352-367 (HmacAuthV4Handler.headers_to_sign: 'Host' and lname.startswith('x-amz'))",
			shownByAdapt + "boto",
		},
		Signs: true,
	},
	{
		Name:    ContentSha256Signed,
		Summary: "X-Amz-Content-Sha256 (the payload hash, or UNSIGNED-PAYLOAD) is always added and signed",
		Refs: []string{
			refBotocore + "botocore/auth.py:478-485 (S3SigV4Auth._modify_request_before_signing sets X-Amz-Content-SHA256)",
			refAWSv1 + "aws/signer/v4/v4.go:697-728 (buildBodyDigest: includeSHA256Header when UnsignedPayload or service s3, then the header is set)",
			refLibcloud + "libcloud/common/aws.py:271-281 (get_request_headers: headers['X-AMZ-Content-SHA256'] always)",
			shownByAdapt + "botocore (normalize_path false), awsv1 (unsigned_payload), libcloud",
		},
		Signs: true,
	},
	{
		Name: BotocoreS3,
		Summary: ContentSha256Signed + " and " + PathUnencoded + " together, as botocore's S3SigV4Auth signs " +
			"(libcloud does both too, see " + LibcloudV4 + ")",
		Refs: []string{
			refBotocore + "botocore/auth.py:478-529 (S3SigV4Auth)",
			shownByAdapt + "botocore (normalize_path false), libcloud",
		},
		Signs: true,
	},
	{
		Name: Boto2V4,
		Summary: "boto 2's HmacAuthV4Handler: " + HostAndAmzHeadersOnly + ", " + PosixNormpath + ", " +
			QuerySortedBeforeEncoding + ", " + PostQueryInBody + " and " + PayloadAlwaysBodyHash +
			" together; a header value holding '\"' is only trimmed",
		Refs: []string{
			refBoto + "boto/auth.py:325-583 (HmacAuthV4Handler; canonical_headers :404-414)",
			shownByAdapt + "boto",
		},
		Signs: true,
	},
	{
		Name: LibcloudV4,
		Summary: "libcloud's AWSRequestSignerAlgorithmV4: every header signed (user-agent and expect too), sorted " +
			"by its name as written (uppercase first), values only trimmed; the path unencoded; the query sorted " +
			"before encoding; X-AMZ-Content-SHA256 added and signed; the payload hash is that of the body for a " +
			"POST or PUT with a body, UNSIGNED-PAYLOAD for one without, the empty hash for every other method",
		Refs: []string{
			refLibcloud + "libcloud/common/aws.py:265-370 (AWSRequestSignerAlgorithmV4; _get_signed_headers :335-336 " +
				"sorted(headers.keys()); _get_payload_hash :342-354)",
			shownByAdapt + "libcloud",
		},
		Signs: true,
	},
	{
		Name: FutureDateAccepted,
		Summary: "only an X-Amz-Date more than 15 minutes old is refused: a request dated in the future is " +
			"accepted, and a presigned URL expires 15 minutes after its X-Amz-Date whatever X-Amz-Expires says",
		Refs: []string{
			"openstack/keystone@0e2166742f7749d8f93200b4ccd995347912b4fa:keystone/api/_shared/EC2_S3_Resource.py " +
				"ResourceBase._check_timestamp (X-Amz-Date header or parameter; 'if current_time > timestamp + auth_ttl' only; " +
				"X-Amz-Expires is never read)",
			"keystone [credential] auth_ttl: 15 minutes by default",
			shownByAdapt + "keystoneclient (verify, with keystone's _check_timestamp)",
		},
		Verifies: true,
	},
	// Last, so that it explains no divergence an earlier variant
	// already does.
	{
		Name: PathDecodedReencoded,
		Summary: "the path percent-decoded as received and URI-encoded once again, never normalized: an escape " +
			"of an unreserved byte or '/' is signed as that byte (%7E as '~', %2F as '/'), a lowercase escape " +
			"in uppercase, so a client that sends such an escape and signs the path as sent (S3's rule) is refused",
		Refs: []string{
			refVersityGW + "s3api/middlewares/url-decoder.go:25-31 (DecodeURL: url.PathUnescape(PathOriginal), then ctx.Path) " +
				"and s3api/server.go:186-188 (DecodeURL on every route)",
			"gofiber/fiber@v3.5.0:ctx.go:306-312 (Ctx.Path sets the URI's path) and valyala/fasthttp@v1.73.0:uri.go:177-179 " +
				"(URI.SetPath replaces pathOriginal): the verifier's 'path as received' is the decoded one",
			refVersityGW + "internal/sigv4auth/ctx.go:124-139 (uriPathFromCtx: PathOriginal, no dot-segment collapsing)",
			refVersityGW + "internal/sigv4auth/canonical.go:136-142,346-362 (canonicalURI = escapePath(path): every byte but A-Za-z0-9-._~ and '/' escaped)",
			"shown by conform probe -s3 against versitygw v1.8.0 (implementations/versitygw)",
			refGofakes3 + "signature/signature-v4.go:121-123,322,327 (getCanonicalRequest(..., req.URL.Path, ...): " +
				"encodedPath := encodePath(urlPath)) and signature/utils.go:80-109 (encodePath: bytes outside A-Za-z0-9-_.~/ as %XX): " +
				"rclone serve s3 does the same, shown by conform probe -s3 (implementations/rclone)",
		},
		Signs: true, Verifies: true,
	},
	{
		Name: Gofakes3PayloadUnchecked,
		Summary: "the payload hash is X-Amz-Content-Sha256 as sent, never compared with the body (a body replaced " +
			"after signing is accepted); without that header it is the hash of the empty string whatever the body " +
			"(a correct request that hashes its body but sends no such header is refused); presigned: always UNSIGNED-PAYLOAD",
		Refs: []string{
			refGofakes3 + "signature/signature-v4-utils.go:95-112 (getContentSha256Cksum: the header's value, else emptySHA256)",
			refGofakes3 + "signature/signature-v4.go:237-247,320-327 (v4SignVerify: isUnsignedPayload for the header " +
				"UNSIGNED-PAYLOAD and for every presigned URL; otherwise hashedPayload := getContentSha256Cksum(r))",
			refGofakes3 + "gofakes3.go:881-997 (createObject reads the body and checks Content-MD5 and x-amz-checksum-* " +
				"when sent, never X-Amz-Content-Sha256)",
			refRclone + "cmd/serve/s3/server.go:103,119 (gofakes3.WithV4Auth(authList), AddAuthKeys: the --auth-key pairs)",
			"shown live against rclone serve s3 (docs/findings/rclone-payload-unchecked.md)",
		},
		Verifies: true,
	},
	{
		Name: Gofakes3QueryValuesEncode,
		Summary: "canonical query made by Go's url.ParseQuery then url.Values.Encode: sorted by decoded name, a name's " +
			"values left in request order (a=2&a=1 is signed so), a piece with a raw ';' or a bad escape left out, '+' read as a space",
		Refs: []string{
			refGofakes3 + "signature/signature-v4.go:236,313-314 (queryf := req.URL.Query(); queryf.Del(amzSignature); " +
				"rawquery := queryf.Encode())",
			refGofakes3 + "signature/signature-v4.go:121-122 (getCanonicalRequest: strings.ReplaceAll(queryStr, \"+\", \"%20\"))",
			"golang/go@go1.25:src/net/url/url.go (Values.Encode: keys sorted, each key's values in order; parseQuery skips " +
				"a piece with ';' or a bad escape; QueryUnescape reads '+' as a space)",
			"shown by conform probe -s3 against rclone serve s3 (implementations/rclone)",
		},
		Verifies: true,
	},
	{
		Name: Gofakes3,
		Summary: "rclone serve s3's verifier (rclone v1.76.0 with gofakes3 v0.0.12): " + Gofakes3PayloadUnchecked + ", " +
			Gofakes3QueryValuesEncode + " and " + PathDecodedReencoded + " together; the credential scope's service must be s3 " +
			"(not modelled: every verify vector is scoped to another service)",
		Refs: []string{
			refGofakes3 + "signature/signature-v4.go:233-339 (v4SignVerify)",
			refGofakes3 + "signature/signature-v4-parser.go:45-47 (a service other than s3: errInvalidServiceS3)",
			refRclone + "cmd/serve/s3/server.go:103,119",
			"decides as rclone serve s3 did on 514 of 515 requests of conform probe -s3 -per-topic 0 (implementations/rclone/README.md)",
		},
		Verifies: true,
	},
}
