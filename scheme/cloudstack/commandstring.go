package cloudstack

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
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
	// CodepointOrder sorts the names by Unicode code point (UTF-8 byte
	// order) instead of Java's UTF-16 code units.
	CodepointOrder = "codepoint-order"
	// PairsSorted sorts the "name=value" strings instead of the names.
	PairsSorted = "pairs-sorted"
	// BracketsUnencoded keeps '[' and ']' in values unencoded.
	BracketsUnencoded = "brackets-unencoded"
	// NamesEncoded percent-encodes the names (the server signs them raw).
	NamesEncoded = "names-encoded"
	// Csclient is everything the csclient npm package does at once.
	Csclient = "csclient"
	// Libcloud is everything Apache Libcloud's CloudStack driver does at once.
	Libcloud = "libcloud"
)

// StageCommandString is the name of the one stage: the lowercased string
// that is HMACed.
const StageCommandString = "command_string"

// form is how one variant builds and writes the command string.
type form struct {
	encode      func(string) string // the values
	encodeName  func(string) string // the names; nil: as received, as the server signs them
	sortLowered bool                // lowercase the names first and sort by them, stably (the guide's order; see commandString)
	order       order               // how the names, or the pairs, are compared
	brackets    bool                // csclient's %5B...%5D rewrites of each pair
	noLower     bool                // leave the string as it is
	urlSafe     bool                // unpadded URL-safe Base64, plain equality
}

// order is what the command string's pairs are sorted by.
type order int

const (
	javaOrder      order = iota // names, String.compareTo: UTF-16 code units (the server)
	codepointOrder              // names, by code point: Python's and Go's string order
	pairOrder                   // the encoded "name=value" strings, UTF-16 code units (JavaScript's sort)
)

func withKeep(keep func(byte) bool, space string) func(string) string {
	return func(s string) string { return escape(s, keep, space) }
}

func identity(s string) string { return s }

func notStar(c byte) bool { return c != '*' && javaUnreserved(c) }

func javaOrTilde(c byte) bool { return c == '~' || javaUnreserved(c) }

func javaOrBracket(c byte) bool { return c == '[' || c == ']' || javaUnreserved(c) }

// rfc3986OrBracket is what libcloud's urlquote(key, safe='[]') keeps.
func rfc3986OrBracket(c byte) bool { return c == '[' || c == ']' || percent.Unreserved(c) }

// libcloudValue is what libcloud's urlquote(value, safe='[]*') keeps.
func libcloudValue(c byte) bool { return c == '*' || rfc3986OrBracket(c) }

var (
	// rfc3986Encode is Python 3's quote(s, safe=''), Go's url.QueryEscape
	// with %20 for a space, and qs's default (RFC 3986) encoder.
	rfc3986Encode = withKeep(percent.Unreserved, "%20")
	// Non-digits between brackets become a dotted name, digits stay in
	// brackets: csclient's two replace() calls, in their order.
	bracketDotted  = regexp.MustCompile(`%5B(\D*?)%5D`)
	bracketIndexed = regexp.MustCompile(`%5B(\d*?)%5D`)
)

// csclientBrackets is csclient's
// .replace(/\%5B(\D*?)\%5D/g, '.$1').replace(/\%5B(\d*?)\%5D/g, '[$1]').
func csclientBrackets(s string) string {
	s = bracketDotted.ReplaceAllString(s, ".$1")
	return bracketIndexed.ReplaceAllString(s, "[$1]")
}

// forms maps each variant to its computation; "" is the reference.
var forms = map[string]form{
	"":                {encode: EncodeValue},
	LowercaseThenSort: {encode: EncodeValue, sortLowered: true},
	URLSafeBase64:     {encode: EncodeValue, urlSafe: true},
	PlusForSpace:      {encode: JavaURLEncode},
	UnencodedValues:   {encode: identity},
	TildeUnencoded:    {encode: withKeep(javaOrTilde, "%20")},
	StarEncoded:       {encode: withKeep(notStar, "%20")},
	RFC3986Unreserved: {encode: rfc3986Encode},
	NoLowercase:       {encode: EncodeValue, noLower: true},
	CodepointOrder:    {encode: EncodeValue, order: codepointOrder},
	PairsSorted:       {encode: EncodeValue, order: pairOrder},
	BracketsUnencoded: {encode: withKeep(javaOrBracket, "%20")},
	NamesEncoded:      {encode: EncodeValue, encodeName: rfc3986Encode},
	Csclient:          {encode: rfc3986Encode, encodeName: rfc3986Encode, order: pairOrder, brackets: true},
	Libcloud: {encode: withKeep(libcloudValue, "%20"), encodeName: withKeep(rfc3986OrBracket, "%20"),
		sortLowered: true, order: codepointOrder},
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
// A map has no order, so names that lowercase-then-sort and libcloud find
// equal once lowercased are put in the order of their texts here; Sign and
// Explain keep them in the request's order (see form.commandString).
func CommandStringVariant(params Params, variant string) (string, error) {
	f, err := lookupForm(variant)
	if err != nil {
		return "", err
	}
	return f.commandString(params, nil), nil
}

// commandString builds f's command string over params. names lists the
// parameter names in the request's order (nil: unknown). Two names compare
// equal only when f lowercases them before sorting (Foo and foo): they then
// keep the request's order, as libcloud's stable list.sort over the
// request's parameters keeps them (as does any stable sort by the guide's
// field); a name missing from names comes after those listed, and names
// still tied go by their text.
func (f form) commandString(params Params, names []string) string {
	type pair struct {
		key, text string
		pos       int // index in names, len(names) if absent
	}
	pos := make(map[string]int, len(names))
	for i, n := range names {
		pos[n] = i
	}
	pairs := make([]pair, 0, len(params))
	for name, value := range params {
		if strings.EqualFold(name, "signature") {
			continue
		}
		p := pair{pos: len(names)}
		if i, ok := pos[name]; ok {
			p.pos = i
		}
		if f.sortLowered {
			name = JavaLowerCase(name)
		}
		p.key = name
		if f.encodeName != nil {
			name = f.encodeName(name)
		}
		p.text = name + "=" + f.encode(value)
		if f.brackets {
			p.text = csclientBrackets(p.text)
		}
		if f.order == pairOrder {
			p.key = p.text
		}
		pairs = append(pairs, p)
	}
	compare := CompareJava
	if f.order == codepointOrder {
		compare = strings.Compare // byte order of UTF-8 is code point order
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := compare(a.key, b.key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.pos, b.pos); c != 0 {
			return c // names equal once lowercased: the request's order
		}
		return compare(a.text, b.text)
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
// left out; names in the request's order, as for commandString), its HMAC
// and the signature as f writes it.
func (f form) sign(secretKey string, params Params, names []string) (commandString string, mac []byte, signature string) {
	commandString = f.commandString(params, names)
	mac = MAC(secretKey, commandString)
	return commandString, mac, f.write(mac)
}

func (f form) write(mac []byte) string {
	if f.urlSafe {
		return base64.RawURLEncoding.EncodeToString(mac)
	}
	return base64.StdEncoding.EncodeToString(mac)
}
