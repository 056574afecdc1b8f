package cloudstack

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
)

// Variant names. "" is the reference (the management server).
const (
	// LowercaseThenSort lowercases the names before sorting them, as the
	// developer guide's prose and libcloud do; the server sorts first.
	LowercaseThenSort = "lowercase-then-sort"
	// URLSafeBase64 writes the HMAC as unpadded URL-safe Base64 and compares
	// it with String.equals, as ConsoleProxyServlet did in 4.0/4.1.
	URLSafeBase64 = "urlsafe-base64"
	// PlusForSpace encodes a space in a value as '+' instead of %20.
	PlusForSpace = "plus-for-space"
	// UnencodedValues puts the decoded values into the command string as
	// they are, as hand-rolled clients do.
	UnencodedValues = "unencoded-values"
	// TildeUnencoded keeps '~' as it is (URLEncoder writes %7E), as the
	// Python cs client does on Python 3.7 and later.
	TildeUnencoded = "tilde-unencoded"
	// StarEncoded encodes '*' as %2A (URLEncoder keeps it) and '~' as %7E,
	// as Python 2's urllib.quote does.
	StarEncoded = "star-encoded"
	// RFC3986Unreserved keeps '~' and encodes '*' as %2A, as Go's
	// url.QueryEscape in cloudstack-go and CloudMonkey does.
	RFC3986Unreserved = "rfc3986-unreserved"
	// NoLowercase HMACs the command string without lowercasing it.
	NoLowercase = "no-lowercase"
)

// StageCommandString is the name of the one stage: the lowercased string
// that is HMACed.
const StageCommandString = "command_string"

// form is how one variant builds and writes the command string.
type form struct {
	encode      func(string) string
	sortLowered bool // lowercase the names before sorting (the guide's order)
	noLower     bool // leave the string as it is
	urlSafe     bool // unpadded URL-safe Base64, plain equality
}

func withKeep(keep func(byte) bool, space string) func(string) string {
	return func(s string) string { return escape(s, keep, space) }
}

func identity(s string) string { return s }

func notStar(c byte) bool { return c != '*' && javaUnreserved(c) }

func javaOrTilde(c byte) bool { return c == '~' || javaUnreserved(c) }

// forms maps each variant to its computation; "" is the reference.
var forms = map[string]form{
	"":                {encode: EncodeValue},
	LowercaseThenSort: {encode: EncodeValue, sortLowered: true},
	URLSafeBase64:     {encode: EncodeValue, urlSafe: true},
	PlusForSpace:      {encode: JavaURLEncode},
	UnencodedValues:   {encode: identity},
	TildeUnencoded:    {encode: withKeep(javaOrTilde, "%20")},
	StarEncoded:       {encode: withKeep(notStar, "%20")},
	RFC3986Unreserved: {encode: withKeep(rfc3986Unreserved, "%20")},
	NoLowercase:       {encode: EncodeValue, noLower: true},
}

func lookupForm(variant string) (form, error) {
	f, ok := forms[variant]
	if !ok {
		return form{}, fmt.Errorf("cloudstack: %w %q", sigconform.ErrUnknownVariant, variant)
	}
	return f, nil
}

// CommandString is the string ApiServer.verifyRequest HMACs for params:
// names sorted as Java sorts Strings, the signature parameter (any case)
// left out, name=EncodeValue(value) joined with '&', the whole lowercased.
func CommandString(params Params) string {
	s, _ := CommandStringVariant(params, "")
	return s
}

// CommandStringVariant is CommandString as the named variant computes it.
func CommandStringVariant(params Params, variant string) (string, error) {
	f, err := lookupForm(variant)
	if err != nil {
		return "", err
	}
	return f.commandString(params), nil
}

func (f form) commandString(params Params) string {
	type pair struct{ key, text string }
	pairs := make([]pair, 0, len(params))
	for name, value := range params {
		if strings.EqualFold(name, "signature") {
			continue
		}
		p := pair{key: name, text: name + "=" + f.encode(value)}
		if f.sortLowered {
			p = pair{key: JavaLowerCase(name), text: JavaLowerCase(p.text)}
		}
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := CompareJava(a.key, b.key); c != 0 {
			return c
		}
		return CompareJava(a.text, b.text) // only for names equal once lowercased
	})
	texts := make([]string, len(pairs))
	for i, p := range pairs {
		texts[i] = p.text
	}
	s := strings.Join(texts, "&")
	if f.noLower {
		return s
	}
	return JavaLowerCase(s)
}

// MAC is HMAC-SHA1 of the command string with the secret key, both as UTF-8
// (Java's getBytes() with a UTF-8 default charset).
func MAC(secretKey, commandString string) []byte {
	m := hmac.New(sha1.New, []byte(secretKey))
	m.Write([]byte(commandString))
	return m.Sum(nil)
}

// Signature is the signature the server expects: standard Base64 with
// padding (commons-codec Base64.encodeBase64String) of MAC.
func Signature(secretKey, commandString string) string {
	return base64.StdEncoding.EncodeToString(MAC(secretKey, commandString))
}

// sign computes f's command string over params (the signature parameter
// left out), its HMAC and the signature as f writes it.
func (f form) sign(secretKey string, params Params) (commandString string, mac []byte, signature string) {
	commandString = f.commandString(params)
	mac = MAC(secretKey, commandString)
	return commandString, mac, f.write(mac)
}

func (f form) write(mac []byte) string {
	if f.urlSafe {
		return base64.RawURLEncoding.EncodeToString(mac)
	}
	return base64.StdEncoding.EncodeToString(mac)
}
