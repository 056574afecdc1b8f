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

// variants are ordered from the narrowest behaviour to the broadest: a
// diagnosis names the first whose signature matches, so a variant that
// differs from the server on fewer inputs (tilde-unencoded: only '~') comes
// before one that contains it (rfc3986-unreserved: '~' and '*';
// unencoded-values: every reserved character). The library profiles
// (csclient, libcloud) come after the single behaviours they combine.
var variants = []sigconform.Variant{
	{
		Name:    CodepointOrder,
		Summary: "Sorts the names by Unicode code point (the byte order of their UTF-8), as Python's sorted() and Go's sort.Strings do, where the server's Collections.sort compares UTF-16 code units; differs only when one name has a character above U+FFFF where another has one in U+E000-U+FFFF at the same place.",
		Refs: []string{
			"cs 2.7.1 (Debian python3-cs 2.7.1-2):cs/client.py:451-454 (_sign: sorted(data.items())); shown by adapter cs (keys/key-sort-utf16)",
			"apache/cloudstack-go@v2.16.1:cloudstack/cloudstack.go:536-540 (EncodeValues: sort.Strings(keys))",
			refApiServer,
		},
		Signs: true,
	},
	{
		Name:    PairsSorted,
		Summary: "Sorts the joined \"name=value\" strings instead of the names, so a name that is a prefix of another sorts after it when the next character is below '=' (name2=b before name=a: '2' < '=').",
		Refs: []string{
			"csclient 0.6.4:lib/cloudstack-client.js:255 (__calculateSignature: qs.stringify(...).split('&').sort().join('&')); shown by adapter csclient (keys/prefix-names)",
		},
		Signs: true,
	},
	{
		Name:    LowercaseThenSort,
		Summary: "Lowercases the parameter names before sorting them, as the developer guide describes; the server sorts the names as received (case-sensitive, 'Z' < '_' < 'a') and lowercases afterwards, so the order differs when names differ in case or contain characters between 'Z' and 'a' (e.g. temPlateidd vs templateId, a_b vs aB). Names equal once lowercased (Name, name) stay in the request's order, as a stable sort by the lowered name leaves them.",
		Refs: []string{
			refGuide,
			refGuide40,
			"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:76-78 (_make_signature: [(k.lower(), v) ...] then sort by the lowered key); shown by adapter libcloud (keys/sort-changes-lowercased, uppercase-and-underscore, capital-command-name, ...)",
			refApiServer,
		},
		Signs: true,
	},
	{
		Name:    BracketsUnencoded,
		Summary: "Leaves '[' and ']' in values unencoded (the server signs %5b and %5d), as libcloud does to keep map parameters readable and csclient ends up doing for brackets around digits; other characters as the server encodes them.",
		Refs: []string{
			"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:83 (_make_signature: urlquote(str(value), safe='[]*')); shown by adapter libcloud (encoding/char-5b, char-5d, brackets, raw-brackets)",
			"csclient 0.6.4:lib/cloudstack-client.js:255 (.replace(/\\%5B(\\d*?)\\%5D/g, '[$1]') after encoding); shown by adapter csclient (encoding/brackets, raw-brackets)",
		},
		Signs: true,
	},
	{
		Name:    TildeUnencoded,
		Summary: "Leaves '~' unencoded (Java's URLEncoder writes %7E, lowercased to %7e) but keeps '*' like Java: the Python cs client, quote(s, safe='*') on Python 3.7+, where quote no longer escapes '~', and cloudstack-go since it stopped escaping '*' (url.QueryEscape, then %2A back to '*').",
		Refs: []string{
			"ngine-io/cs@230e6cba9417193f098b07c7cf75836d55e6e329:cs/client.py (cs_encode: quote(s, safe=\"*\"))",
			"cs 2.7.1 (Debian python3-cs 2.7.1-2):cs/client.py:112-119 (cs_encode: quote(s, safe=\"*\")); shown by adapter cs (encoding/char-7e, raw-tilde, star-and-tilde)",
			"apache/cloudstack-go@v2.16.1:cloudstack/cloudstack.go:531-558 (EncodeValues: url.QueryEscape(v), '+' to %20, %2A back to '*': '~' stays)",
			"https://github.com/ngine-io/ansible-collection-cloudstack/issues/85 (cs_host password containing '~' fails with 'User signature ... is not equaled to computed signature')",
		},
		Signs: true,
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
		Name:    StarEncoded,
		Summary: "Encodes '*' as %2A (Java keeps it) and '~' as %7E: Python 2's urllib.quote/quote_plus, as in the guide's own Python example and older Python clients; values with '*' are refused.",
		Refs: []string{
			"https://github.com/apache/libcloud/pull/846 ('the signature will be invalid for any request with any value containing a wildcard')",
			"shown by adapter csclient on values with '*' but no '~' (encoding/char-2a, raw-star, sub-delims, expires/v3-with-values), where its RFC 3986 encoder writes the same as Python 2's quote",
			"https://github.com/apache/cloudstack-docs/pull/17 (Python encodes * while Java does not; authentication failure)",
		},
		Signs: true,
	},
	{
		Name:    RFC3986Unreserved,
		Summary: "Encodes values with RFC 3986's unreserved set: '~' kept, '*' as %2A (Go url.QueryEscape with '+' replaced by %20, as cloudstack-go did until it turned %2A back into '*' (PR #48) and CloudMonkey; the npm qs encoder csclient uses); values with '*' or '~' are refused.",
		Refs: []string{
			"apache/cloudstack-go@098ad58794a8aaffc3b714e92df3b1e09497eee9:cloudstack/cloudstack.go (encodeValues: url.QueryEscape(v); strings.Replace(strings.ToLower(s), \"+\", \"%20\", -1))",
			"csclient 0.6.4:lib/cloudstack-client.js:255 (qs.stringify(queryDict, {encode: true})) with qs 6.17.1:lib/utils.js:386-396 (keeps A-Z a-z 0-9 - . _ ~ in the default RFC 3986 format); shown by adapter csclient (encoding/star-and-tilde)",
			"https://github.com/apache/cloudstack-go/pull/48 (401 'unable to verify user credentials and/or request signature' for values with '*')",
		},
		Signs: true,
	},
	{
		Name:    NamesEncoded,
		Summary: "Percent-encodes the parameter names (RFC 3986 unreserved set kept, UTF-8 %XX) as well as the values; the server signs the names as received, decoded and unencoded, so any name with another character (k!k, café, tags[0].key) is signed differently.",
		Refs: []string{
			"csclient 0.6.4:lib/cloudstack-client.js:255 (qs.stringify(queryDict, {encode: true}) encodes keys too); shown by adapter csclient (keys/key-char-*, key-utf8-*)",
			"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:82 (_make_signature: urlquote(str(key), safe='[]')); shown by adapter libcloud (keys/key-char-*, key-utf8-*)",
			refApiServer + " (name + '=' + URLEncoder.encode(value): the name is not encoded)",
		},
		Signs: true,
	},
	{
		Name:    Csclient,
		Summary: "csclient's whole command string, for inputs where its behaviours combine: names and values encoded with the RFC 3986 unreserved set (names-encoded, rfc3986-unreserved), csclient's rewrites of %5B...%5D (non-digits inside become '.name', digits go back into raw brackets; applied here pair by pair), and the encoded name=value strings sorted (pairs-sorted).",
		Refs: []string{
			"csclient 0.6.4:lib/cloudstack-client.js:253-258 (__calculateSignature: qs.stringify(queryDict, {encode: true}).replace(/\\%5B(\\D*?)\\%5D/g, '.$1').replace(/\\%5B(\\d*?)\\%5D/g, '[$1]').split('&').sort().join('&').toLowerCase()); shown by adapter csclient (keys/key-utf8-3-byte, key-utf8-uppercase, key-dotted-capital-i, key-capital-sigma, key-sort-utf16: an encoded name starts with '%', so its pair sorts before apiKey=... and command=..., and %EF... before %F0...)",
		},
		Signs: true,
	},
	{
		Name:    Libcloud,
		Summary: "Apache Libcloud's whole command string, for inputs where its behaviours combine: names lowercased first and sorted by code point with Python's stable sort, so names equal once lowercased stay in the request's order (lowercase-then-sort, codepoint-order), then percent-encoded keeping RFC 3986's unreserved set and '[]' (names-encoded, so an upper-case non-ASCII name is encoded after lowercasing), values keeping also '*' (tilde-unencoded, brackets-unencoded).",
		Refs: []string{
			"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:76-92 (_make_signature: [(k.lower(), v) ...], sort by the lowered key, urlquote(key, safe='[]'), urlquote(value, safe='[]*'), lower()); shown by adapter libcloud (keys/key-utf8-uppercase, key-dotted-capital-i, key-capital-sigma, key-sort-utf16)",
		},
		Signs: true,
	},
	{
		Name:    UnencodedValues,
		Summary: "Puts the values into the command string without URL-encoding them, as hand-rolled clients do; differs whenever a value holds anything but A-Z a-z 0-9 . - * _.",
		Refs: []string{
			"https://qiita.com/bmj0114/items/be30f2f8e10f87c7ae19 (\"Scala: HMAC SHA-1 Hashing and Base64 Encording for CloudStack API Authentication\": key + '=' + value concatenated unencoded, then toLowerCase; shared/seeds/004)",
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
	{
		Name:    URLSafeBase64,
		Summary: "Writes the HMAC as unpadded URL-safe Base64 (commons-codec encodeBase64URLSafeString) and compares with String.equals: ConsoleProxyServlet in CloudStack 4.0/4.1, which therefore refused every correctly signed console URL; as a signer, the form a client had to send to pass it.",
		Refs: []string{
			"apache/cloudstack@048c5e50cfe4e9a38589eef17756a3cb5ecc8800:server/src/com/cloud/servlet/ConsoleProxyServlet.java (verifyRequest: Base64.encodeBase64URLSafeString(encryptedBytes); signature.equals(computedSignature))",
			"dev@cloudstack.apache.org, 2013-10-22, yao hu, 'access instance's console using apikey failed' (CloudStack 4.1.1: /client/api accepts the key, /client/console refuses it; shared/seeds/000)",
		},
		Signs: true, Verifies: true,
	},
}

func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

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
	params, names, base, query, _, err := requestParams(in.Request)
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
		names = append(names, p[0]) // appended to the URL, after the request's own
	}
	cs, _, sig := f.sign(in.Credentials.SecretKey, params, names)

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
	cs, mac, want := f.sign(in.Credentials.SecretKey, r.params, r.names)
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
