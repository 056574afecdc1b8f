package cloudstack

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// Scheme is the CloudStack reference signer and verifier. It also takes
// signed requests apart (Explain).
var Scheme interface {
	sigconform.Scheme
	sigconform.Explainer
} = scheme{}

type scheme struct{}

func (scheme) Name() string     { return "cloudstack" }
func (scheme) Stages() []string { return []string{StageCommandString} }

const (
	refApiServer = "apache/cloudstack@02182a1572a12a89fc2f429f57bcec6f9e6ad7c0:server/src/main/java/com/cloud/api/ApiServer.java (verifyRequest: Collections.sort of the names, then unsignedRequest.toLowerCase())"
	refGuide     = "apache/cloudstack-documentation@02278e9c0b557f5c0e98a388bc709fbcec9913c7:source/developersguide/dev.rst (Signing API Requests, step 2: 'Lower case the entire Command String and sort it alphabetically via the field')"
	refGuide40   = "https://docs.huihoo.com/apache/cloudstack/4.0.0/en-US/Apache_CloudStack/4.0.0-incubating/html/API_Developers_Guide/signing-api-requests.html (CloudStack 4.0.0 API Developer's Guide 4.3; shared/seeds/003)"
)

var variants = []sigconform.Variant{
	{
		Name:    LowercaseThenSort,
		Summary: "Lowercases the parameter names before sorting them, as the developer guide describes; the server sorts the names as received (case-sensitive, 'Z' < '_' < 'a') and lowercases afterwards, so the order differs when names differ in case or contain characters between 'Z' and 'a' (e.g. temPlateidd vs templateId, a_b vs aB).",
		Refs: []string{
			refGuide,
			refGuide40,
			"apache/libcloud:libcloud/common/cloudstack.py (_make_signature: [(k.lower(), v) ...] then sort by the lowered key)",
			refApiServer,
		},
		Signs: true,
	},
	{
		Name:    URLSafeBase64,
		Summary: "Writes the HMAC as unpadded URL-safe Base64 (commons-codec encodeBase64URLSafeString) and compares with String.equals: ConsoleProxyServlet in CloudStack 4.0/4.1, which therefore refused every correctly signed console URL; as a signer, the form a client had to send to pass it.",
		Refs: []string{
			"apache/cloudstack@048c5e50cfe4e9a38589eef17756a3cb5ecc8800:server/src/com/cloud/servlet/ConsoleProxyServlet.java (verifyRequest: Base64.encodeBase64URLSafeString(encryptedBytes); signature.equals(computedSignature))",
			"dev@cloudstack.apache.org, 2013-10-22, yao hu, 'access instance's console using apikey failed' (CloudStack 4.1.1: /client/api accepts the key, /client/console refuses it; shared/seeds/000)",
		},
		Signs: true, Verifies: true,
	},
	{
		Name:    PlusForSpace,
		Summary: "Encodes a space in a value as '+' (URLEncoder or quote_plus without the replacement by %20); the server signs %20.",
		Refs: []string{
			"https://github.com/jasonhancock/cloudstack-python-client/pull/1 ('The API is expecting spaces to be encoded with %20, not +')",
			"https://gist.github.com/bigkraig/3876785 (urllib.quote_plus(args[key]) in the signed string)",
			refGuide + " (the note 'Make sure all spaces are encoded as %20 rather than +')",
		},
		Signs: true,
	},
	{
		Name:    UnencodedValues,
		Summary: "Puts the values into the command string without URL-encoding them, as hand-rolled clients do; differs whenever a value holds anything but A-Z a-z 0-9 . - * _.",
		Refs: []string{
			"Scala CloudStack client blog post (shared/seeds/004: key + '=' + value concatenated, then toLowerCase)",
		},
		Signs: true,
	},
	{
		Name:    TildeUnencoded,
		Summary: "Leaves '~' unencoded (Java's URLEncoder writes %7E, lowercased to %7e) but keeps '*' like Java: the Python cs client, quote(s, safe='*') on Python 3.7+, where quote no longer escapes '~'.",
		Refs: []string{
			"ngine-io/cs@230e6cba9417193f098b07c7cf75836d55e6e329:cs/client.py (cs_encode: quote(s, safe=\"*\"))",
			"https://github.com/ngine-io/ansible-collection-cloudstack/issues/85 (cs_host password containing '~' fails with 'User signature ... is not equaled to computed signature')",
		},
		Signs: true,
	},
	{
		Name:    StarEncoded,
		Summary: "Encodes '*' as %2A (Java keeps it) and '~' as %7E: Python 2's urllib.quote/quote_plus, as in the guide's own Python example and older Python clients; values with '*' are refused.",
		Refs: []string{
			"https://github.com/apache/libcloud/pull/846 ('the signature will be invalid for any request with any value containing a wildcard')",
			"https://github.com/apache/cloudstack-docs/pull/17 (Python encodes * while Java does not; authentication failure)",
		},
		Signs: true,
	},
	{
		Name:    RFC3986Unreserved,
		Summary: "Encodes with RFC 3986's unreserved set: '~' kept, '*' as %2A (Go url.QueryEscape, then '+' replaced by %20): apache/cloudstack-go and CloudMonkey; values with '*' or '~' are refused.",
		Refs: []string{
			"apache/cloudstack-go@098ad58794a8aaffc3b714e92df3b1e09497eee9:cloudstack/cloudstack.go (encodeValues: url.QueryEscape(v); strings.Replace(strings.ToLower(s), \"+\", \"%20\", -1))",
			"https://github.com/apache/cloudstack-go/pull/48 (401 'unable to verify user credentials and/or request signature' for values with '*')",
		},
		Signs: true,
	},
	{
		Name:    NoLowercase,
		Summary: "HMACs the command string without the final lowercasing; the server always lowercases, so any upper-case letter in a name, value or %XX escape changes the signature.",
		Refs: []string{
			refApiServer,
			"https://github.com/apache/cloudstack-documentation/pull/29 ('Fix the string to sign': the guide's Python lowercased before quoting, leaving %XX escapes upper-case)",
		},
		Signs: true,
	},
}

func (scheme) Variants() []sigconform.Variant { return variants }

// signingForm is the computation Sign uses for variant.
func signingForm(variant string) (form, error) {
	f, err := lookupForm(variant)
	if err != nil {
		return form{}, err
	}
	if v, ok := variantByName(variant); ok && !v.Signs {
		return forms[""], nil
	}
	return f, nil
}

// verifyingForm is the computation Verify uses: a variant that only shows
// on the client side leaves the server as it is.
func verifyingForm(variant string) (form, error) {
	f, err := lookupForm(variant)
	if err != nil {
		return form{}, err
	}
	if v, ok := variantByName(variant); ok && !v.Verifies {
		return forms[""], nil
	}
	return f, nil
}

func variantByName(name string) (sigconform.Variant, bool) {
	for _, v := range variants {
		if v.Name == name {
			return v, true
		}
	}
	return sigconform.Variant{}, false
}

// Sign signs in.Request.URL, whose query (and form body, for a POST with
// Content-Type application/x-www-form-urlencoded) holds the parameters as
// sent. It adds apiKey=<access key> when no parameter is named apikey in any
// case, signatureVersion=3 and expires=<Context.Expires> when
// Context.SignatureVersion is "3" and they are missing, then appends
// signature=<URL-encoded signature>. Result.Headers stays empty.
func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	f, err := signingForm(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Result{}, errors.New("cloudstack: empty secret key (Java's SecretKeySpec refuses it)")
	}
	params, base, query, _, err := requestParams(in.Request)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("cloudstack: %w", err)
	}
	if _, ok := params.lookupFold("signature"); ok {
		return sigconform.Result{}, errors.New("cloudstack: request already has a signature parameter")
	}
	added, err := missingParams(params, in)
	if err != nil {
		return sigconform.Result{}, err
	}
	for _, p := range added {
		params[p[0]] = p[1]
	}
	cs, _, sig := f.sign(in.Credentials.SecretKey, params)

	var u strings.Builder
	u.WriteString(base)
	u.WriteByte('?')
	u.WriteString(query)
	if query != "" && !strings.HasSuffix(query, "&") {
		u.WriteByte('&')
	}
	for _, p := range added {
		u.WriteString(p[0] + "=" + JavaURLEncode(p[1]) + "&")
	}
	u.WriteString("signature=" + JavaURLEncode(sig))
	return sigconform.Result{
		Stages:    []sigconform.Stage{{Name: StageCommandString, Value: cs}},
		Signature: sig,
		URL:       u.String(),
	}, nil
}

// missingParams lists, in the order they are appended, the parameters the
// signer adds: apiKey, then signatureVersion and expires for version 3.
func missingParams(params Params, in sigconform.Input) ([][2]string, error) {
	var added [][2]string
	if _, ok := params.lookupFold("apikey"); !ok {
		if in.Credentials.AccessKey == "" {
			return nil, errors.New("cloudstack: no apiKey parameter and no access key to add")
		}
		added = append(added, [2]string{"apiKey", in.Credentials.AccessKey})
	}
	switch v := in.Context.SignatureVersion; v {
	case "":
		if in.Context.Expires != "" {
			return nil, errors.New("cloudstack: context.expires needs context.signature_version 3")
		}
	case "3":
		if _, ok := params.lookupFold("signatureversion"); !ok {
			added = append(added, [2]string{"signatureVersion", "3"})
		}
		if _, ok := params.lookupFold("expires"); !ok {
			if in.Context.Expires == "" {
				return nil, errors.New("cloudstack: signature version 3 needs context.expires")
			}
			added = append(added, [2]string{"expires", in.Context.Expires})
		}
	default:
		return nil, fmt.Errorf("cloudstack: unsupported signature version %q (only 3 exists)", v)
	}
	return added, nil
}

// Verify checks in.Request as the management server would, in its order:
// parameters, command, signature and apiKey present, signatureVersion 3
// expiry (not for /client/console), the key, then the HMAC.
func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	f, err := verifyingForm(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	r, v := parseSigned(in.Request)
	if !v.Accept {
		return v
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
	cs, mac, want := f.sign(in.Credentials.SecretKey, r.params)
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
	console           bool
	signature, apiKey string // as decoded
}

// parseSigned parses r and checks what the servlet checks before expiry,
// the key and the HMAC: the parameters parse, command is present (not for
// /client/console), and so are signature and apiKey. A refusal comes back
// as the verdict.
func parseSigned(r sigconform.Request) (signedRequest, sigconform.Verdict) {
	params, _, _, console, err := requestParams(r)
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
	return signedRequest{params: params, console: console, signature: sig, apiKey: apiKey}, sigconform.Accepted()
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
