package sigv2

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"net"
	"slices"
	"strings"
)

// Signature versions and methods.
const (
	Version0 = "0"
	Version1 = "1"
	Version2 = "2"

	HmacSHA256 = "HmacSHA256"
	HmacSHA1   = "HmacSHA1"
)

// The parameters the scheme itself reads or writes.
const (
	paramSignature        = "Signature"
	paramAccessKey        = "AWSAccessKeyId"
	paramSignatureVersion = "SignatureVersion"
	paramSignatureMethod  = "SignatureMethod"
	paramTimestamp        = "Timestamp"
	paramExpires          = "Expires"
	paramSecurityToken    = "SecurityToken"
	paramAction           = "Action"
)

// StringToSignV2 is version 2's string to sign:
//
//	METHOD \n host \n path \n CanonicalQuery(params)
//
// host is used as given (see Host for how the reference derives it) and an
// empty path is written "/".
func StringToSignV2(method, host, path string, params []Param) string {
	return stringToSignV2(method, host, path, params, false, false)
}

func stringToSignV2(method, host, path string, params []Param, plus, tilde bool) string {
	if path == "" {
		path = "/"
	}
	return method + "\n" + host + "\n" + path + "\n" + canonicalQuery(params, plus, tilde)
}

// StringToSignV1 is version 1's string to sign, as keystoneclient's
// Ec2Signer._calc_signature_1 (the verifier keystone uses) and boto's
// QuerySignatureV1AuthHandler build it: every parameter but Signature,
// sorted by name without regard to case, each name followed directly by its
// value, nothing between them, nothing encoded. The sort is Python's stable
// sort by the lowercased name, so names equal but for case keep the order
// params lists them in: for the signer, the request's parameters in the
// order the request gives them, then the authentication parameters the
// signer adds; for the verifier, the order received.
func StringToSignV1(params []Param) string {
	ps := slices.DeleteFunc(slices.Clone(params), func(p Param) bool { return p.Name == paramSignature })
	slices.SortStableFunc(ps, func(a, b Param) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Name)
		b.WriteString(p.Value)
	}
	return b.String()
}

// StringToSignV0 is version 0's string to sign: the Action parameter
// followed by the Timestamp parameter (keystoneclient
// Ec2Signer._calc_signature_0, boto QuerySignatureV0AuthHandler).
func StringToSignV0(params []Param) (string, error) {
	action, ok := lookup(params, paramAction)
	if !ok {
		return "", fmt.Errorf("signature version 0 signs Action+Timestamp: no %s parameter", paramAction)
	}
	ts, ok := lookup(params, paramTimestamp)
	if !ok {
		return "", fmt.Errorf("signature version 0 signs Action+Timestamp: no %s parameter", paramTimestamp)
	}
	return action + ts, nil
}

// Signature is the standard-alphabet Base64 of the HMAC of stringToSign
// keyed with secret, using method (HmacSHA256 or HmacSHA1).
func Signature(secret, method, stringToSign string) (string, error) {
	mac, err := rawHMAC(secret, method, stringToSign)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(mac), nil
}

func rawHMAC(secret, method, msg string) ([]byte, error) {
	var h func() hash.Hash
	switch method {
	case HmacSHA256:
		h = sha256.New
	case HmacSHA1:
		h = sha1.New
	default:
		return nil, fmt.Errorf("unknown SignatureMethod %q (want %s or %s)", method, HmacSHA256, HmacSHA1)
	}
	m := hmac.New(h, []byte(secret))
	m.Write([]byte(msg))
	return m.Sum(nil), nil
}

// Host is the host line of the version 2 string to sign as the AWS
// documents define it, "the value of the Host header in lowercase", the port
// kept only when it is not the scheme's default (80 for http, 443 for
// https). authority is the Host header or the URL's host[:port]; scheme is
// the URL's scheme, "" when unknown (then no port is default).
func Host(authority, scheme string) string {
	h := strings.ToLower(authority)
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		return h // no port
	}
	if port == "" || port == defaultPort(strings.ToLower(scheme)) {
		if strings.Contains(host, ":") {
			return "[" + host + "]" // IPv6 literal keeps its brackets
		}
		return host
	}
	return h
}

// hostDefaultPortDropped is Host without the lowercasing: the authority as
// written, a port dropped when it is the scheme's default (libcloud's
// connection.host, with ':port' added only for another port).
func hostDefaultPortDropped(authority, scheme string) string {
	host, port, err := net.SplitHostPort(authority)
	if err != nil || port != "" && port != defaultPort(strings.ToLower(scheme)) {
		return authority
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// hostWithoutPort drops any port, as boto 2 (which signs the connection's
// host name, the port kept apart) and keystone's retry do.
func hostWithoutPort(authority string) string {
	if host, _, err := net.SplitHostPort(authority); err == nil {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return authority
}
