package cloudstack

import (
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// Verify checks in.Request as the management server would, in its order:
// parameters, command, signature and apiKey present, signatureVersion 3
// expiry (not for /client/console), the key, then the HMAC.
func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	rl, err := verifyingRules(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	r, v := parseSigned(in.Request)
	if !v.Accept {
		return v
	}
	if rl.urlSafe && !r.console {
		// The URL-safe comparison was ConsoleProxyServlet's alone: the same
		// 4.0/4.1 server verified /client/api in ApiServer, with standard
		// Base64, so as a server the variant refuses only console URLs.
		rl, _ = rulesFor("")
	}
	if !r.console {
		if v := checkExpiry(r.params, in.Context.Time); !v.Accept {
			return v
		}
	}
	if r.apiKey != in.Credentials.AccessKey {
		return sigconform.Rejected(sigconform.UnknownKey, fmt.Sprintf("apiKey %q is not the known key", r.apiKey))
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Rejected(sigconform.BadSignature, "the user has no secret key")
	}
	sig := r.signature
	cs, mac, want := rl.sign(in.Credentials.SecretKey, r.params, r.names)
	if hmac.Equal([]byte(sig), []byte(want)) {
		return sigconform.Accepted()
	}
	if form, ok := otherForm(sig, mac, want); ok {
		return sigconform.Rejected(sigconform.WrongEncoding, "the HMAC is right but written as "+form)
	}
	return sigconform.Rejected(sigconform.BadSignature, fmt.Sprintf("signature %q does not match; the server signed %q", sig, cs))
}

// signedRequest is a signed request as the servlet behind its path parses
// it: the parameter map verifyRequest is given and the two parameters it
// reads before the HMAC.
type signedRequest struct {
	params            Params
	names             []string // params' names in the request's order
	console           bool
	signature, apiKey string // as decoded
}

// parseSigned parses r and checks what the servlet checks before expiry,
// the key and the HMAC: the parameters parse, command is present (not for
// /client/console), and so are signature and apiKey. A refusal comes back
// as the verdict.
func parseSigned(r sigconform.Request) (signedRequest, sigconform.Verdict) {
	params, names, _, _, console, err := requestParams(r)
	if err != nil {
		return signedRequest{}, sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	if _, ok := params["command"]; !ok && !console {
		return signedRequest{}, sigconform.Rejected(sigconform.MissingParameter, "no command parameter")
	}
	sig, hasSig := params.lookupFold("signature")
	apiKey, hasKey := params.lookupFold("apikey")
	if !hasSig || !hasKey {
		return signedRequest{}, sigconform.Rejected(sigconform.MissingParameter, "missing signature or apiKey parameter")
	}
	return signedRequest{params: params, names: names, console: console, signature: sig, apiKey: apiKey}, sigconform.Accepted()
}

// checkExpiry applies verifyRequest's signatureVersion=3 rules; a version
// other than exactly "3" means expires is not looked at.
func checkExpiry(params Params, now string) sigconform.Verdict {
	version, _ := params.lookupFold("signatureversion")
	if version != "3" {
		return sigconform.Accepted()
	}
	expires, ok := params.lookupFold("expires")
	if !ok {
		return sigconform.Rejected(sigconform.MissingParameter, "signatureVersion=3 without expires")
	}
	exp, err := ParseExpires(expires)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	t := time.Now()
	if now != "" {
		if t, err = time.Parse(time.RFC3339, now); err != nil {
			return sigconform.Rejected(sigconform.Malformed, "context.time is not RFC 3339: "+err.Error())
		}
	}
	if exp.Before(t.Truncate(time.Millisecond)) {
		return sigconform.Rejected(sigconform.Expired, fmt.Sprintf("expires %s is before %s", exp.Format(time.RFC3339Nano), t.Format(time.RFC3339Nano)))
	}
	return sigconform.Accepted()
}

// otherForm names the encoding sig uses when it is mac written in a form
// other than want: another Base64 alphabet, padding or line end, a '+'
// that arrived as a space because it was not percent-encoded, or a value
// percent-encoded twice.
func otherForm(sig string, mac []byte, want string) (string, bool) {
	std := base64.StdEncoding.EncodeToString(mac)
	forms := []struct{ name, text string }{
		{"standard padded Base64", std},
		{"standard Base64 without padding", base64.RawStdEncoding.EncodeToString(mac)},
		{"URL-safe Base64 with padding", base64.URLEncoding.EncodeToString(mac)},
		{"URL-safe Base64 without padding", base64.RawURLEncoding.EncodeToString(mac)},
		{"Base64 with a trailing line break", std + "\n"},
		{"Base64 with a trailing CRLF", std + "\r\n"},
		{"Base64 whose '+' was not percent-encoded and arrived as a space", strings.ReplaceAll(std, "+", " ")},
		{"Base64 percent-encoded twice", JavaURLEncode(std)},
	}
	for _, f := range forms {
		if f.text != want && hmac.Equal([]byte(sig), []byte(f.text)) {
			return f.name, true
		}
	}
	return "", false
}
