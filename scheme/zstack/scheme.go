// Package zstack is sigconform's reference signer and verifier for ZStack's
// AccessKey authentication of its REST API ("Authorization: ZStack
// <AccessKeyId>:<Signature>").
//
// The reference follows the ZStack management server, not its tutorial:
//
//	StringToSign = Method "\n" Date "\n" URI
//	Signature    = Base64(HMAC-SHA1(AccessKeySecret, StringToSign))
//	Authorization: ZStack <AccessKeyId>:<Signature>
//	Date:          <the Date string that was signed>
//
// Sources (read with the search tools):
//
//   - RestServer.handleApi, getDecodedUrl, checkTime and checkTimeSkewing:
//     MatheMatrix/zstack@5fee17db6093fd0afc8e167982b3f2cf6cfbe0c1:rest/src/main/java/org/zstack/rest/RestServer.java
//     (a mirror of zstackio/zstack; the stored zstackio/zstack copy
//     @0b3088b716661b200ba9eb184062a2a8debac25a predates AccessKeys).
//     Method is req.getMethod(); Date is the Date header exactly as
//     received; URI is getDecodedUrl(req) = UriUtils.decode(removeStart(
//     req.getRequestURI(), req.getContextPath()), "UTF-8"): the request path
//     without the servlet context path (/zstack in a standard deployment),
//     percent-decoded (Spring UriUtils: "+" stays "+"), and without the query
//     string, which getRequestURI never contains.
//   - RestConstants: HEADER_ACCESSKEY = "ZStack", REQUEST_DURATION_MINUTES =
//     15: zstackio/zstack@38a92d945a55d5b2bf1b5688993c12dc3ecf7782:rest/src/main/java/org/zstack/rest/RestConstants.java.
//   - rest.checkTimeZone, default false:
//     zstackio/zstack@33f7a18f567b6b7ab74525be6fef3b93387edd01:conf/globalConfig/rest.xml.
//   - org.zstack.accessKey.AccessKeyManager.doAuth (HmacSHA1, commons-codec
//     Base64.encodeBase64, String.equals): ZStack's AccessKey plugin, held by
//     the public-code index (file id 63450297220) without a repository name.
//   - The documented example, ZStack Cloud developer guide "API Call with
//     AccessKey" (https://www.zstack.io/help/dev_manual/dev_guide/v5/3.html;
//     shared/seeds/001), reproduced in vectors/zstack/published.yaml.
//
// The Date header is parsed with java.time pattern "EEE, dd MMM yyyy
// HH:mm:ss z" (Locale.ENGLISH, case-insensitive) and must lie within 15
// minutes of the server's clock, both ends inclusive. With the default
// rest.checkTimeZone=false the zone written in the Date is parsed but then
// ignored: its wall-clock fields are compared with the server's local wall
// clock. That is why the documentation and the SDKs write China local time
// labelled "PRC" or "CST". This package takes the offset of Context.Time as
// the server's time zone: Verify compares the Date's wall clock with
// Context.Time's wall clock in its own offset (the CheckTimeZone variant
// compares instants instead).
//
// What the real server answers when authentication fails (RestServer sends
// a RestException as a plain-text body with its status code):
//
//	no Authorization                        400 missing header 'Authorization'
//	neither "OAuth" nor "ZStack" prefix     400 Authorization type must be 'OAuth'
//	no Date                                 400 'Date' must be incuded in request header
//	Date not parsable                       400 'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'
//	Date more than 15 minutes off           403 requestTimeTooSkewed
//	"<id>:<sig>" not two parts on ':'       400 accessKey format is 'ZStack AccessKeyId:Signature'
//	unknown or disabled key id              403 access key id: <id> does not existed or disabled
//	signature differs                       403 wrong accessKey signature
//
// The Date is checked before the key and the signature, so Verify reports
// an expired Date even when the signature is also wrong. The server
// compares signatures with String.equals; Verify uses hmac.Equal and, where
// the server just says "wrong accessKey signature", tells WrongEncoding
// (the right HMAC in URL-safe or unpadded Base64) from BadSignature.
package zstack

import (
	"time"

	"github.com/sigconform/sigconform"
)

// Name is the scheme's name in vectors and reports.
const Name = "zstack"

// StageStringToSign is the only stage: Method, Date and URI joined by "\n".
const StageStringToSign = "string_to_sign"

// AuthType is the first word of the Authorization header
// (RestConstants.HEADER_ACCESSKEY).
const AuthType = "ZStack"

// ContextPath is the servlet context path ZStack's REST API is deployed
// under (http://host:8080/zstack/v1/...); the server does not sign it.
const ContextPath = "/zstack"

// MaxClockSkew is how far the Date may be from the server's clock, both
// ends inclusive (RestConstants.REQUEST_DURATION_MINUTES).
const MaxClockSkew = 15 * time.Minute

// Scheme is the reference ZStack AccessKey signer and verifier. It also
// takes signed requests apart (Explain).
var Scheme interface {
	sigconform.Scheme
	sigconform.Explainer
} = scheme{}

type scheme struct{}

func (scheme) Name() string { return Name }

func (scheme) Stages() []string { return []string{StageStringToSign} }
