package scheme

import (
	"errors"
	"strings"

	"github.com/sigconform/sigconform"
)

// ErrUndetected is Detect's answer for a request that carries the
// signature of no known scheme.
var ErrUndetected = errors.New("cannot tell the scheme: no Authorization header of a known scheme and no known signature parameters")

// Detect tells a signed request's scheme from what it carries: an
// Authorization header ("AWS4-HMAC-SHA256 ..." is sigv4, "ZStack ..." in
// any case is zstack), or else the signature parameters of its query and
// form body, names in any case (X-Amz-Signature is a presigned sigv4 URL,
// AWSAccessKeyId with Signature is sigv2, apiKey with signature is
// cloudstack).
func Detect(req sigconform.Request) (string, error) {
	if auth, ok := req.Header("Authorization"); ok {
		switch {
		case strings.HasPrefix(auth, "AWS4-HMAC-SHA256 "):
			return "sigv4", nil
		case strings.HasPrefix(strings.ToLower(auth), "zstack "):
			return "zstack", nil
		}
	}
	q := ""
	if _, after, ok := strings.Cut(req.URL, "?"); ok {
		q = after
	}
	if req.Body != "" {
		q += "&" + req.Body
	}
	has := func(name string) bool {
		for _, kv := range strings.Split(q, "&") {
			k, _, _ := strings.Cut(kv, "=")
			if strings.EqualFold(k, name) {
				return true
			}
		}
		return false
	}
	switch {
	case has("X-Amz-Signature"):
		return "sigv4", nil
	case has("AWSAccessKeyId") && has("Signature"):
		return "sigv2", nil
	case has("apiKey") && has("signature"):
		return "cloudstack", nil
	}
	return "", ErrUndetected
}
