// Package cloudstack is sigconform's reference signer and verifier for the
// Apache CloudStack API signature (HMAC-SHA1 over a lowercased command
// string, standard Base64).
//
// The reference is what the management server accepts, read from
// apache/cloudstack ApiServer.verifyRequest
// (server/src/main/java/com/cloud/api/ApiServer.java @ 02182a1572a12a89fc2f429f57bcec6f9e6ad7c0)
// and from how ApiServlet builds the parameter map it is given
// (server/src/main/java/com/cloud/api/ApiServlet.java @ 7f460b583989f426e1c29223f06ec9bb8c90c793):
//
//  1. The servlet starts from the container's parameter map (query, then a
//     form body; first value of a repeated name) and then, in utf8Fixup,
//     re-decodes every "name=value" token of the raw query string with
//     java.net.URLDecoder (UTF-8, '+' is a space) and puts it into the map,
//     so for a name repeated in the query string the LAST occurrence wins.
//  2. verifyRequest sorts the parameter names as received with
//     Collections.sort (Java String order: UTF-16 code units, case-sensitive).
//  3. It leaves out the parameter whose name equalsIgnoreCase "signature",
//     and writes name + "=" + URLEncoder.encode(value, "UTF-8") with every
//     "+" replaced by "%20". Names are not encoded. Pairs are joined with "&".
//  4. The whole string is lowercased (String.toLowerCase), HMAC-SHA1'd with
//     the secret key, written as padded standard Base64 and compared in
//     constant time (ConstantTimeComparator) with the signature received.
//  5. With signatureVersion=3 an expires parameter is required, must parse
//     (DateUtil.parseTZDateString) and must not be before now; both are
//     signed like any other parameter.
//
// The stage this package reports is "command_string": the lowercased string
// that is HMACed.
//
// The console servlet (/client/console, ConsoleProxyServlet.verifyRequest)
// signs the same string but uses the container's parameter map as is (first
// value of a repeated name) and never looks at signatureVersion or expires
// (apache/cloudstack server/src/main/java/com/cloud/servlet/ConsoleProxyServlet.java
// @ 02b4e386f5aca42b8da174977dc1b015c7b5d044). In 4.0/4.1 it compared against
// URL-safe unpadded Base64 instead (variant urlsafe-base64).
//
// Where the server depends on the JVM or the servlet container, this package
// assumes a UTF-8 default charset, a non-Turkish default locale and a
// container (embedded Jetty) that decodes query strings and form bodies as
// UTF-8, rejects a malformed percent escape and keeps a token without "="
// as a parameter with an empty value.
package cloudstack

import "github.com/sigconform/sigconform"

// Scheme is the CloudStack reference signer and verifier. It also takes
// signed requests apart (Explain).
var Scheme interface {
	sigconform.Scheme
	sigconform.Explainer
} = scheme{}

type scheme struct{}

func (scheme) Name() string     { return "cloudstack" }
func (scheme) Stages() []string { return []string{StageCommandString} }
