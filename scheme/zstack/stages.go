package zstack

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
)

// StringToSign is what ZStack signs: method, Date header value and URI
// joined by "\n" (AccessKeyManager.doAuth). Nothing is normalized: the
// server uses the method and the Date exactly as received.
func StringToSign(method, date, uri string) string {
	return method + "\n" + date + "\n" + uri
}

// Signature is the standard, padded Base64 of HMAC-SHA1 keyed with the
// secret over the string to sign (commons-codec Base64.encodeBase64).
func Signature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Authorization is the Authorization header value: "ZStack <id>:<sig>".
func Authorization(accessKeyID, signature string) string {
	return AuthType + " " + accessKeyID + ":" + signature
}

// SignedURI is the URI the server signs for a request URL: the path without
// the /zstack context path, percent-decoded, without query or fragment.
// rawURL is an absolute http(s) URL or a path starting with "/".
//
//	http://h:8080/zstack/v1/vm-instances?limit=1  ->  /v1/vm-instances
//	http://h:8080/zstack/v1/a%20b                 ->  /v1/a b
func SignedURI(rawURL string) (string, error) {
	path, _, err := splitURL(rawURL)
	if err != nil {
		return "", err
	}
	return percentDecode(stripContextPath(path))
}

// uri is the URI r's signer signs.
func (r rules) uri(rawURL string) (string, error) {
	path, query, err := splitURL(rawURL)
	if err != nil {
		return "", err
	}
	switch {
	case r.contextPrefix:
		return percentDecode(path)
	case r.queryString:
		uri, err := percentDecode(stripContextPath(path))
		if err != nil || query == "" {
			return uri, err
		}
		// The query as sent: the clients that sign it pass the URL tail
		// through unchanged.
		return uri + "?" + query, nil
	default:
		return SignedURI(rawURL)
	}
}

// stringToSign is the string r's signer signs for req with the Date date;
// rules{} is what the server signs.
func (r rules) stringToSign(req sigconform.Request, date string) (string, error) {
	uri, err := r.uri(req.URL)
	if err != nil {
		return "", err
	}
	return StringToSign(req.Method, date, uri), nil
}

// splitURL returns the raw (still percent-encoded) path and query of an
// absolute http(s) URL or of a path, as HttpServletRequest.getRequestURI()
// and getQueryString() would see them.
func splitURL(raw string) (path, query string, err error) {
	s, _, _ := strings.Cut(raw, "#")
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		rest := s[strings.Index(s, "://")+3:]
		i := strings.IndexAny(rest, "/?")
		if i < 0 {
			return "/", "", nil
		}
		if i == 0 {
			return "", "", fmt.Errorf("zstack: URL %q has no host", raw)
		}
		s = rest[i:]
	case strings.HasPrefix(s, "/"):
	default:
		return "", "", fmt.Errorf("zstack: URL %q is neither an http(s) URL nor a path", raw)
	}
	path, query, _ = strings.Cut(s, "?")
	if path == "" {
		path = "/"
	}
	return path, query, nil
}

// stripContextPath removes the servlet context path /zstack, as
// StringUtils.removeStart(getRequestURI(), getContextPath()) does. The
// context matches whole path segments only (/zstackx/... is not under it).
func stripContextPath(path string) string {
	if path == ContextPath || strings.HasPrefix(path, ContextPath+"/") {
		return path[len(ContextPath):]
	}
	return path
}

// percentDecode decodes %XX escapes like Spring's UriUtils.decode(s,
// "UTF-8"): "+" is left alone, a "%" not followed by two hex digits is an
// error, and bytes that are not UTF-8 become U+FFFD.
func percentDecode(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		c, ok := percent.Unescape(s, i)
		if !ok {
			return "", fmt.Errorf("zstack: invalid percent-encoding %q in path", s[i:min(i+3, len(s))])
		}
		b = append(b, c)
		i += 2
	}
	return toValidUTF8(b), nil
}

// toValidUTF8 replaces each byte that does not start a valid UTF-8 sequence
// with U+FFFD, as Java's decoder does with its default REPLACE action.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r) // RuneError for an invalid byte
		b = b[n:]
	}
	return sb.String()
}

// Errors of ParseAuthorization, matching the server's 400 answers.
var (
	// ErrNotAccessKey: the header is not "ZStack ..." (the server answers
	// 400 "Authorization type must be 'OAuth'", or treats "OAuth ..." as a
	// session id).
	ErrNotAccessKey = errors.New("zstack: Authorization is not of type ZStack")
	// ErrKeyFormat: "<id>:<sig>" does not split into two parts.
	ErrKeyFormat = errors.New("zstack: accessKey format is 'ZStack AccessKeyId:Signature'")
)

// ParseAuthorization reads the access key id and the signature from an
// Authorization header value the way RestServer and AccessKeyManager do:
// trim; "OAuth" is another scheme; "ZStack" (case-sensitive, no space
// needed) is removed; the rest, trimmed, must split on ':' into exactly two
// parts with Java's String.split (trailing empty parts dropped), and the key
// id is what precedes the first ':'.
func ParseAuthorization(value string) (accessKeyID, signature string, err error) {
	rest, err := accessKeyPart(value)
	if err != nil {
		return "", "", err
	}
	return splitKeyPart(rest)
}

// accessKeyPart is RestServer's test of the authorization type.
func accessKeyPart(value string) (string, error) {
	v := javaTrim(value)
	if strings.HasPrefix(v, "OAuth") || !strings.HasPrefix(v, AuthType) {
		return "", ErrNotAccessKey
	}
	return javaTrim(strings.Replace(v, AuthType, "", 1)), nil
}

// splitKeyPart is RestServer's split(":") check followed by doAuth's cut at
// the first ':'. "id:sig:" passes the first (Java drops the trailing empty
// part) and leaves "sig:" as the signature; ":sig" passes both with an
// empty key id.
func splitKeyPart(s string) (accessKeyID, signature string, err error) {
	if len(javaSplitColon(s)) != 2 {
		return "", "", ErrKeyFormat
	}
	i := strings.IndexByte(s, ':')
	if i == len(s)-1 { // doAuth: "Invalid authKey format"; unreachable after the split check
		return "", "", ErrKeyFormat
	}
	return s[:i], s[i+1:], nil
}

// javaTrim is Java's String.trim: it removes every char <= ' ' at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// javaSplitColon is Java's s.split(":"): trailing empty strings are removed,
// and a string without ':' is returned whole (even when empty).
func javaSplitColon(s string) []string {
	if !strings.Contains(s, ":") {
		return []string{s}
	}
	parts := strings.Split(s, ":")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
