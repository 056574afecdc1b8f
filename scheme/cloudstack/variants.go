package cloudstack

import (
	"fmt"
	"regexp"

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
		Summary: "Writes the HMAC as unpadded URL-safe Base64 (commons-codec encodeBase64URLSafeString) and compares with String.equals: ConsoleProxyServlet in CloudStack 4.0/4.1, which therefore refused every correctly signed console URL (as a verifier it applies to /client/console only: the same servers' /client/api compared standard Base64); as a signer, the form a client had to send to pass it.",
		Refs: []string{
			"apache/cloudstack@048c5e50cfe4e9a38589eef17756a3cb5ecc8800:server/src/com/cloud/servlet/ConsoleProxyServlet.java (verifyRequest: Base64.encodeBase64URLSafeString(encryptedBytes); signature.equals(computedSignature))",
			"dev@cloudstack.apache.org, 2013-10-22, yao hu, 'access instance's console using apikey failed' (CloudStack 4.1.1: /client/api accepts the key, /client/console refuses it; shared/seeds/000)",
		},
		Signs: true, Verifies: true,
	},
}

func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

// signingRules are the rules Sign uses for variant: a variant that only
// shows on the server side signs as the reference.
func signingRules(variant string) (rules, error) {
	return rulesWhere(variant, func(v sigconform.Variant) bool { return v.Signs })
}

// verifyingRules are the rules Verify uses: a variant that only shows
// on the client side leaves the server as it is.
func verifyingRules(variant string) (rules, error) {
	return rulesWhere(variant, func(v sigconform.Variant) bool { return v.Verifies })
}

// rulesWhere is variant's rules on the side where shows says the variant
// shows, and the reference's on the other.
func rulesWhere(variant string, shows func(sigconform.Variant) bool) (rules, error) {
	rl, err := rulesFor(variant)
	if err != nil {
		return rules{}, err
	}
	if v, ok := variantByName(variant); ok && !shows(v) {
		return rulesFor("")
	}
	return rl, nil
}

func variantByName(name string) (sigconform.Variant, bool) {
	for _, v := range variants {
		if v.Name == name {
			return v, true
		}
	}
	return sigconform.Variant{}, false
}

// rules are how one variant builds and writes the command string.
type rules struct {
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

// rulesFor returns the rules of variant ("" is the reference), or an error
// wrapping sigconform.ErrUnknownVariant.
func rulesFor(variant string) (rules, error) {
	switch variant {
	case "":
		return rules{encode: EncodeValue}, nil
	case LowercaseThenSort:
		return rules{encode: EncodeValue, sortLowered: true}, nil
	case URLSafeBase64:
		return rules{encode: EncodeValue, urlSafe: true}, nil
	case PlusForSpace:
		return rules{encode: JavaURLEncode}, nil
	case UnencodedValues:
		return rules{encode: identity}, nil
	case TildeUnencoded:
		return rules{encode: withKeep(javaOrTilde, "%20")}, nil
	case StarEncoded:
		return rules{encode: withKeep(notStar, "%20")}, nil
	case RFC3986Unreserved:
		return rules{encode: rfc3986Encode}, nil
	case NoLowercase:
		return rules{encode: EncodeValue, noLower: true}, nil
	case CodepointOrder:
		return rules{encode: EncodeValue, order: codepointOrder}, nil
	case PairsSorted:
		return rules{encode: EncodeValue, order: pairOrder}, nil
	case BracketsUnencoded:
		return rules{encode: withKeep(javaOrBracket, "%20")}, nil
	case NamesEncoded:
		return rules{encode: EncodeValue, encodeName: rfc3986Encode}, nil
	case Csclient:
		return rules{encode: rfc3986Encode, encodeName: rfc3986Encode, order: pairOrder, brackets: true}, nil
	case Libcloud:
		return rules{encode: withKeep(libcloudValue, "%20"), encodeName: withKeep(rfc3986OrBracket, "%20"), sortLowered: true, order: codepointOrder}, nil
	}
	return rules{}, fmt.Errorf("cloudstack: %w %q", sigconform.ErrUnknownVariant, variant)
}
