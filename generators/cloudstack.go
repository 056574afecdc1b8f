package generators

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/internal/tamper"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/vectors"
)

// CloudStack's generated vectors. Every request is a GET (or, in the post
// topic, a POST) to a management server; the parameters are written into the
// URL percent-encoded with RFC 3986 strict encoding unless a case says it
// sends a character raw. The signer adds apiKey (and, for signature version
// 3, signatureVersion and expires) and the signature to the URL.

func init() { register("cloudstack", cloudstackFiles) }

const (
	cloudstackAPI     = "http://localhost:8080/client/api"
	cloudstackConsole = "http://localhost:8080/client/console"
	// cloudstackTime is when verify cases are checked, unless moved.
	cloudstackTime = "2024-01-02T03:04:05Z"
	// cloudstackExpires is fifteen minutes after cloudstackTime, written in
	// the developer guide's format (yyyy-MM-dd'T'HH:mm:ssZ).
	cloudstackExpires = "2024-01-02T03:19:05+0000"
	cloudstackVM      = "9d6e5f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
)

// cloudstackCreds are obviously fake: the upper-case letters in the key
// show that the apiKey value is lowercased before signing.
var cloudstackCreds = sigconform.Credentials{
	AccessKey: "SigConform-Test-ApiKey_0123456789",
	SecretKey: "sigconform-test-secret/+=",
}

// cloudstackOtherSecret signs the other-secret verify cases.
const cloudstackOtherSecret = "sigconform-other-secret"

// cloudstackOtherKey is an access key the verifier does not know.
const cloudstackOtherKey = "SigConform-Unknown-ApiKey_9876543210"

func cloudstackFiles() ([]*vectors.File, error) {
	var out []*vectors.File
	for _, gen := range []func() (*vectors.File, error){
		cloudstackEncodingFile,
		cloudstackKeysFile,
		cloudstackExpiresFile,
		cloudstackConsoleFile,
		cloudstackPostFile,
		cloudstackJSONFile,
		cloudstackVerifyFile,
	} {
		f, err := gen()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// cloudstackQuery writes name/value pairs as an encoded query string.
func cloudstackQuery(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, percent.Escape(pairs[i])+"="+percent.Escape(pairs[i+1]))
	}
	return strings.Join(parts, "&")
}

// cloudstackGet is a GET of base?query with the test key pair.
func cloudstackGet(base, query string) sigconform.Input {
	return sigconform.Input{
		Credentials: cloudstackCreds,
		Request:     sigconform.Request{Method: "GET", URL: base + "?" + query},
	}
}

// cloudstackV3 is cloudstackGet signed with signatureVersion=3 and expires.
func cloudstackV3(base, query, expires string) sigconform.Input {
	in := cloudstackGet(base, query)
	in.Context = sigconform.Context{SignatureVersion: "3", Expires: expires}
	return in
}

// cloudstackPost is a form POST to /client/api with query and body.
func cloudstackPost(query, contentType, body string) sigconform.Input {
	in := cloudstackGet(cloudstackAPI, query)
	in.Request.Method = "POST"
	if contentType != "" {
		in.Request.Headers = []sigconform.Header{{Name: "Content-Type", Value: contentType}}
	}
	in.Request.Body = body
	return in
}

func cloudstackTags(first []string, more ...string) []string {
	return append(slices.Clone(first), more...)
}

// --- encoding --------------------------------------------------------------

// cloudstackValueNotes explains the edges where known clients go wrong.
var cloudstackValueNotes = map[string]string{
	"char-20": "The server encodes a space with URLEncoder and replaces the '+' by %20, so it signs %20; " +
		"a client signing '+' (variant plus-for-space) is refused.",
	"char-2a": "java.net.URLEncoder keeps '*', so the server signs a bare '*'; Python 2's quote and Go's " +
		"url.QueryEscape write %2A (variants star-encoded, rfc3986-unreserved) and are refused.",
	"char-7e": "java.net.URLEncoder escapes '~' as %7E (lowercased to %7e); Python 3.7+'s quote and Go's " +
		"url.QueryEscape keep it (variants tilde-unencoded, rfc3986-unreserved) and are refused.",
	"char-2b":        "The '+' is sent as %2B; the server decodes it to '+' and signs %2b. Sent raw it would arrive as a space.",
	"char-25":        "The '%' is sent as %25; the server decodes it and signs %25.",
	"star-and-tilde": "The server signs a*b%7ec: '*' kept, '~' escaped, the opposite of RFC 3986.",
	"already-encoded": "The value itself holds '%20' and '%2F'; it is sent as a%2520b%252Fc and signed " +
		"re-encoded (a%2520b%252fc), never decoded twice.",
	"uppercase-value": "The whole command string is lowercased, values included, so ABCxyz and abcxyz sign alike.",
	"long-value":      "A 4 KiB value in the query string.",
}

// cloudstackJSONFile repeats the value edges on requests that ask for JSON
// answers, as most clients send them: cloudstack-go adds response=json to
// every request it signs, so only these cases can be put to it.
func cloudstackJSONFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "json",
		"The value edges of the encoding topic on listVirtualMachines requests with response=json, the form "+
			"most clients send (cloudstack-go adds it to every request), so that they can run them too.")
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "listVirtualMachines&response=json with " + e.Title + " in name",
			Tags:  append([]string{"json"}, e.Tags...),
			Input: cloudstackGet(cloudstackAPI, cloudstackQuery("command", "listVirtualMachines", "name", e.Value, "response", "json")),
		})
	}
	return b.File()
}

func cloudstackEncodingFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "encoding",
		"One listVirtualMachines request per value edge: the value of the name parameter, percent-encoded "+
			"in the URL (RFC 3986 strict unless a case says otherwise), decoded by the servlet and re-encoded "+
			"with java.net.URLEncoder ('+' replaced by %20) in the lowercased command string.")
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "listVirtualMachines with " + e.Title + " in name",
			Tags:  e.Tags,
			Notes: cloudstackValueNotes[e.Name],
			Input: cloudstackGet(cloudstackAPI, cloudstackQuery("command", "listVirtualMachines", "name", e.Value)),
		})
	}
	// Characters sent raw or in another escape form: the servlet decodes
	// them to the same value as its strict encoding would, or not.
	raw := []struct{ name, title, value, notes string }{
		{"raw-plus-is-space", "a raw '+' in the URL, which the servlet decodes as a space", "a+b",
			"Deliberately sends '+' unencoded: URLDecoder turns it into a space, so the server signs a%20b, not a%2bb."},
		{"raw-star", "a raw '*' in the URL", "a*b", "Deliberately sends '*' unencoded; it decodes to itself."},
		{"raw-tilde", "a raw '~' in the URL", "a~b",
			"Deliberately sends '~' unencoded; it decodes to itself and the server signs a%7eb."},
		{"raw-brackets", "raw square brackets in a value", "[0]",
			"Deliberately sends '[' and ']' unencoded, as many clients do; the server signs %5b0%5d."},
		{"raw-equals", "a raw '=' inside a value", "a=b",
			"Deliberately sends '=' unencoded: the servlet splits a token at its first '=', so the value is a=b, signed a%3db."},
		{"raw-slash", "raw slashes in a value", "/a/b", "Deliberately sends '/' unencoded; the server signs %2fa%2fb."},
		{"lowercase-escapes", "percent escapes written in lower-case hex", "a%2fb%c3%a9",
			"Deliberately writes the escapes in lower case; they decode to a/b\u00e9 as their upper-case forms would."},
		{"mixed-escapes", "a value with a space written as %20 and another as '+'", "a%20b+c",
			"Deliberately mixes %20 and a raw '+': both decode to a space."},
		{"invalid-utf8", "a percent escape that is not UTF-8", "a%FFb",
			"Deliberately sends the byte 0xFF, which is not UTF-8: Java's decoder replaces it with U+FFFD, signed %ef%bf%bd."},
		{"overlong-utf8", "an overlong UTF-8 encoding of '/'", "%C0%AF",
			"Deliberately sends the overlong form of '/': Java's decoder replaces each byte with U+FFFD."},
	}
	for _, r := range raw {
		b.Sign(SignSpec{
			Name:  r.name,
			Title: "listVirtualMachines with " + r.title,
			Tags:  []string{"encoding", "raw"},
			Notes: r.notes,
			Input: cloudstackGet(cloudstackAPI, "command=listVirtualMachines&name="+r.value),
		})
	}
	return b.File()
}

// --- keys ------------------------------------------------------------------

type cloudstackCase struct {
	name, title string
	tags        []string
	notes       string
	in          sigconform.Input
}

func cloudstackKeysFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "keys",
		"Parameter names: characters in names (which the server leaves unencoded in the command string), "+
			"names whose order changes when lowercased (the server sorts as received, case-sensitively, and "+
			"lowercases afterwards), prefixes, empty and repeated names, many parameters.")
	var cases []cloudstackCase
	for _, group := range [][]cloudstackCase{cloudstackKeyChars(), cloudstackKeyOrders(), cloudstackKeyForms()} {
		cases = append(cases, group...)
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: c.tags, Notes: c.notes, Input: c.in})
	}
	return b.File()
}

// cloudstackAPIGet is a GET of /client/api with the query q.
func cloudstackAPIGet(q string) sigconform.Input { return cloudstackGet(cloudstackAPI, q) }

// cloudstackKeyChars: the characters of a name, ASCII and UTF-8.
func cloudstackKeyChars() []cloudstackCase {
	api := cloudstackAPIGet
	var cases []cloudstackCase
	for c := byte(0x20); c < 0x7f; c++ {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			continue
		}
		name := "k" + string(c) + "k"
		cases = append(cases, cloudstackCase{
			name:  fmt.Sprintf("key-char-%02x", c),
			title: fmt.Sprintf("a parameter name holding %s", charName(c)),
			tags:  []string{"params", "ascii"},
			notes: "The name is percent-encoded in the URL; the server decodes it and signs it unencoded.",
			in:    api(cloudstackQuery("command", "listZones", name, "1")),
		})
	}
	utf8Keys := []struct{ name, title, key, notes string }{
		{"key-utf8-2-byte", "a parameter name with a 2-byte UTF-8 character", "caf\u00e9", ""},
		{"key-utf8-3-byte", "a parameter name with a 3-byte UTF-8 character", "\u20acuro", ""},
		{"key-utf8-4-byte", "a parameter name with a 4-byte UTF-8 character", "k\U0001F600", ""},
		{"key-utf8-uppercase", "a parameter name with a non-ASCII capital", "\u00c9T\u00c9",
			"Names are not encoded, so String.toLowerCase folds the capital \u00c9 itself."},
		{"key-dotted-capital-i", "a parameter name with U+0130 (capital I with dot)", "\u0130d",
			"Java's toLowerCase writes U+0130 as 'i' followed by U+0307 (combining dot), two characters."},
		{"key-capital-sigma", "a parameter name ending in a capital sigma", "\u039f\u0394\u039f\u03a3",
			"Java's toLowerCase writes a word-final capital sigma as the final form \u03c2."},
	}
	for _, k := range utf8Keys {
		cases = append(cases, cloudstackCase{k.name, k.title, []string{"params", "utf8"}, k.notes,
			api(cloudstackQuery("command", "listZones", k.key, "1"))})
	}
	return cases
}

// cloudstackKeyOrders: names the server and the variants sort differently.
func cloudstackKeyOrders() []cloudstackCase {
	api := cloudstackAPIGet
	return []cloudstackCase{
		{"key-sort-utf16", "names that Java (UTF-16) and UTF-8 byte order sort differently",
			[]string{"params", "utf8"},
			"Collections.sort compares UTF-16 code units: U+1F600 (surrogate D83D) sorts before U+FF21, " +
				"while a sort by UTF-8 bytes puts it after.",
			api(cloudstackQuery("command", "listZones", "\uFF21", "1", "\U0001F600", "2"))},
		{"command-only", "a request with only the command", []string{"params"}, "",
			api("command=listZones")},
		{"response-json", "listZones with response=json", []string{"params"}, "",
			api("command=listZones&response=json")},
		{"tags-index-key", "createTags with tags[0].key, brackets percent-encoded in the URL",
			[]string{"params"},
			"The server signs the decoded name tags[0].key unencoded; encoding the brackets in the command string " +
				"(tags%5b0%5d.key) is refused.",
			api(cloudstackQuery("command", "createTags", "resourceIds", cloudstackVM, "resourceType", "UserVm",
				"tags[0].key", "env", "tags[0].value", "prod"))},
		{"tags-index-key-raw-brackets", "createTags with tags[0].key, brackets sent raw",
			[]string{"params", "raw"},
			"Deliberately sends '[' and ']' unencoded, as most clients do; the servlet sees the same names as " +
				"in tags-index-key and the signature is the same.",
			api("command=createTags&resourceIds=" + cloudstackVM + "&resourceType=UserVm&tags[0].key=env&tags[0].value=prod")},
		{"tags-index-1-and-10", "indexed names whose digits sort before the bracket",
			[]string{"params"},
			"tags[10].key sorts before tags[1].key because '0' (0x30) < ']' (0x5D).",
			api(cloudstackQuery("command", "createTags", "tags[1].key", "a", "tags[10].key", "b", "tags[2].key", "c"))},
		{"case-only-names", "two names that differ only in case", []string{"params"},
			"The servlet's map is case-sensitive, so name and Name are two parameters; Name sorts first, and " +
				"once lowercased the command string holds name= twice.",
			api(cloudstackQuery("command", "listVirtualMachines", "name", "a", "Name", "b"))},
		{"case-only-names-reordered", "two names that differ only in case, the capital one in the URL first",
			[]string{"params"}, "The order in the URL does not matter; Name still sorts first.",
			api(cloudstackQuery("command", "listVirtualMachines", "Name", "b", "name", "a"))},
		{"sort-changes-lowercased", "templateId and temPlateidd, whose order flips when lowercased",
			[]string{"params"},
			"The server sorts temPlateidd before templateId ('P' < 'p') and then lowercases, giving " +
				"templateidd=...&templateid=...; lowercasing first (variant lowercase-then-sort) gives the opposite order.",
			api(cloudstackQuery("command", "deployVirtualMachine", "templateId", "2", "temPlateidd", "1", "zoneId", "4"))},
		{"uppercase-and-underscore", "Zoneid, a_b and aB, ordered 'Z' < '_' < 'a' by the server",
			[]string{"params"},
			"The server's order is Zoneid, aB, a_b, apiKey, command; lowercasing first gives a_b, ab, apikey, command, zoneid.",
			api(cloudstackQuery("command", "listZones", "Zoneid", "1", "a_b", "x", "aB", "y"))},
		{"uppercase-vs-underscore", "nameZ and name_, ordered differently once lowercased",
			[]string{"params"}, "'Z' (0x5A) < '_' (0x5F) < 'z' (0x7A).",
			api(cloudstackQuery("command", "listZones", "name_", "1", "nameZ", "2"))},
		{"capital-command-name", "names that start with a capital sort before apiKey and command",
			[]string{"params"}, "",
			api(cloudstackQuery("command", "listVirtualMachines", "ZoneId", "4", "Keyword", "web"))},
		{"prefix-names", "name and name2, where one name is a prefix of another", []string{"params"},
			"The server sorts the names: name before name2. Sorting the joined name=value strings instead " +
				"puts name2=... first, because '2' (0x32) < '=' (0x3D).",
			api(cloudstackQuery("command", "listVirtualMachines", "name2", "b", "name", "a"))},
		{"prefix-names-underscore", "id and id_x, a prefix followed by '_'", []string{"params"}, "",
			api(cloudstackQuery("command", "listVirtualMachines", "id_x", "b", "id", "a"))},
	}
}

// cloudstackKeyForms: empty values, names without '=', repeated names,
// stray '&', apiKey given by the client, long names and many of them.
func cloudstackKeyForms() []cloudstackCase {
	api := cloudstackAPIGet
	return []cloudstackCase{
		{"empty-value", "a parameter with an empty value", []string{"params"}, "",
			api("command=listVirtualMachines&name=")},
		{"empty-values-several", "several parameters with empty values", []string{"params"}, "",
			api("command=listVirtualMachines&name=&keyword=&account=")},
		{"name-without-equals", "a parameter written without '='", []string{"params", "raw"},
			"Deliberately sends the token 'listall' without '=': the container keeps it as a parameter with " +
				"an empty value (utf8Fixup skips it), so the server signs listall=.",
			api("command=listVirtualMachines&listall")},
		{"repeated-name-last-wins", "a name repeated in the query string: the last value is signed",
			[]string{"params"},
			"ApiServlet.utf8Fixup re-puts every query token into the parameter map, so the last id= wins on /client/api.",
			api("command=listVirtualMachines&id=1&id=2")},
		{"repeated-name-three-times", "a name given three times in the query string", []string{"params"},
			"The last value, 3, is the one signed.",
			api("command=listVirtualMachines&id=1&id=2&id=3")},
		{"repeated-name-bare-then-value", "a name first without '=' and then with a value",
			[]string{"params", "raw"},
			"The container's first value is empty; utf8Fixup puts id=2, so 2 is signed.",
			api("command=listVirtualMachines&id&id=2")},
		{"repeated-name-value-then-bare", "a name with a value and then without '='",
			[]string{"params", "raw"},
			"The container's first value is 1 and utf8Fixup skips the bare token, so 1 is signed.",
			api("command=listVirtualMachines&id=1&id")},
		{"double-ampersand", "an empty token between two parameters", []string{"params", "raw"},
			"Deliberately sends '&&': the empty token is ignored.",
			api("command=listZones&&name=a")},
		{"trailing-ampersand", "a query string ending in '&'", []string{"params", "raw"},
			"The signer appends apiKey and signature without adding another '&'.",
			api("command=listZones&name=a&")},
		{"apikey-given-lowercase", "the apiKey parameter given by the client as apikey",
			[]string{"params"}, "The server finds the key under any case of apiKey; the signer adds none.",
			api("command=listZones&apikey=" + percent.Escape(cloudstackCreds.AccessKey))},
		{"apikey-given-uppercase", "the apiKey parameter given by the client as APIKEY",
			[]string{"params"}, "APIKEY sorts before command; once lowercased the string is the same as with apikey.",
			api("command=listZones&APIKEY=" + percent.Escape(cloudstackCreds.AccessKey))},
		{"apikey-given-first", "the apiKey parameter given first in the URL", []string{"params"}, "",
			api("apiKey=" + percent.Escape(cloudstackCreds.AccessKey) + "&command=listZones")},
		{"long-name", "a 1 KiB parameter name", []string{"params", "long"}, "",
			api(cloudstackQuery("command", "listZones", strings.Repeat("abcdefgh", 128), "1"))},
		{"many-params", "fifty parameters, written in the URL in reverse order", []string{"params", "long"},
			"", api(cloudstackManyParams(func(i int) string { return fmt.Sprintf("p%02d", i) }))},
		{"many-params-mixed-case", "fifty parameters alternating capital and lower-case names",
			[]string{"params", "long"},
			"The server sorts every Pnn before every pnn; lowercasing first interleaves them.",
			api(cloudstackManyParams(func(i int) string {
				if i%2 == 0 {
					return fmt.Sprintf("P%02d", i)
				}
				return fmt.Sprintf("p%02d", i)
			}))},
	}
}

// cloudstackManyParams is listVirtualMachines with fifty parameters named
// by name, written in descending order.
func cloudstackManyParams(name func(int) string) string {
	pairs := []string{"command", "listVirtualMachines"}
	for i := 49; i >= 0; i-- {
		pairs = append(pairs, name(i), fmt.Sprintf("v%02d", i))
	}
	return cloudstackQuery(pairs...)
}

// --- expires ---------------------------------------------------------------

// cloudstackExpiresForms are the expires values DateUtil.parseTZDateString
// parses, each naming the form it pins. All are 2024-01-02T03:19:05Z or
// within a second of it.
var cloudstackExpiresForms = []struct{ name, title, value string }{
	{"offset-hhmm", "the developer guide's form yyyy-MM-dd'T'HH:mm:ssZ, +0000", "2024-01-02T03:19:05+0000"},
	{"offset-positive", "a positive offset, +0530", "2024-01-02T08:49:05+0530"},
	{"offset-negative", "a negative offset, -0800", "2024-01-01T19:19:05-0800"},
	{"utc-z", "ISO 8601 with Z", "2024-01-02T03:19:05Z"},
	{"offset-colon", "an ISO offset with a colon, +05:30", "2024-01-02T08:49:05+05:30"},
	{"offset-seconds", "an ISO offset with seconds, +05:30:00", "2024-01-02T08:49:05+05:30:00"},
	{"no-seconds", "ISO 8601 without seconds", "2024-01-02T03:19Z"},
	{"lowercase-t-z", "lower-case t and z, which ISO_OFFSET_DATE_TIME accepts", "2024-01-02t03:19:05z"},
	{"fraction-millis", "milliseconds", "2024-01-02T03:19:05.000Z"},
	{"fraction-one-digit", "a one-digit fraction", "2024-01-02T03:19:05.5Z"},
	{"fraction-nanos", "a nine-digit fraction", "2024-01-02T03:19:05.123456789Z"},
	{"micros-offset-hhmm", "microseconds and +0000 (yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ)", "2024-01-02T03:19:05.123456+0000"},
	{"micros-offset-hh", "microseconds and a two-digit offset, +05 (pattern letter X)", "2024-01-02T08:19:05.123456+05"},
	{"micros-z", "microseconds and Z", "2024-01-02T03:19:05.123456Z"},
	{"legacy-literal-z", "the legacy form with a literal Z and then an offset", "2024-01-02T03:19:05Z+0000"},
}

func cloudstackExpiresFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "expires",
		"Signature version 3: signatureVersion=3 and expires are added to the URL and signed like any other "+
			"parameter. The server requires expires to parse (DateUtil.parseTZDateString) and not be past; "+
			"each case pins one form it parses. The value is URL-encoded by the signer (':' and '+' escaped).")
	for _, f := range cloudstackExpiresForms {
		b.Sign(SignSpec{
			Name:  "expires-" + f.name,
			Title: "listZones with signatureVersion=3 and expires in " + f.title,
			Tags:  []string{"expiry"},
			Input: cloudstackV3(cloudstackAPI, "command=listZones", f.value),
		})
	}
	inURL := cloudstackGet(cloudstackAPI, "command=listZones&signatureVersion=3&expires="+percent.Escape(cloudstackExpires))
	inURL.Context.SignatureVersion = "3"
	lowerNames := cloudstackGet(cloudstackAPI, "command=listZones&signatureversion=3&EXPIRES="+percent.Escape(cloudstackExpires))
	lowerNames.Context.SignatureVersion = "3"
	more := []cloudstackCase{
		{"v3-params-in-url", "signatureVersion and expires given by the client in the URL", []string{"expiry"},
			"The signer finds both parameters and adds only apiKey and the signature.", inURL},
		{"v3-param-names-other-case", "signatureversion and EXPIRES given in other cases", []string{"expiry"},
			"The server finds both under any case and signs them under the names sent; EXPIRES sorts first.", lowerNames},
		{"v3-with-values", "signatureVersion=3 on a request with a space and '*' in a value", []string{"expiry", "encoding"}, "",
			cloudstackV3(cloudstackAPI, cloudstackQuery("command", "listVirtualMachines", "name", "web server*01"), cloudstackExpires)},
		{"v3-post-form", "signatureVersion=3 on a form POST", []string{"expiry", "post"},
			"The signer adds signatureVersion and expires to the URL; the body parameters are signed with them.",
			cloudstackV3Post()},
		{"version-2-with-expires", "signatureVersion=2 with an expires parameter", []string{"expiry"},
			"Only signatureVersion=3 makes the server check expires; here both are plain signed parameters.",
			cloudstackGet(cloudstackAPI, "command=listZones&signatureVersion=2&expires="+percent.Escape("2000-01-01T00:00:00+0000"))},
		{"expires-without-v3", "an expires parameter without signatureVersion", []string{"expiry"},
			"Without signatureVersion=3 the server signs expires but never parses it.",
			cloudstackGet(cloudstackAPI, "command=listZones&expires="+percent.Escape(cloudstackExpires))},
	}
	for _, c := range more {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: c.tags, Notes: c.notes, Input: c.in})
	}
	return b.File()
}

func cloudstackV3Post() sigconform.Input {
	in := cloudstackPost("", "application/x-www-form-urlencoded", cloudstackQuery("command", "listZones", "available", "true"))
	in.Context = sigconform.Context{SignatureVersion: "3", Expires: cloudstackExpires}
	return in
}

// --- console ---------------------------------------------------------------

func cloudstackConsoleFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "console",
		"The console URL /client/console?cmd=access&vm=<uuid>, verified by ConsoleProxyServlet: the same "+
			"command string as /client/api, but the container's parameter map as is (the first value of a "+
			"repeated name) and no expires check. CloudStack 4.0/4.1's console compared against unpadded "+
			"URL-safe Base64 (variant urlsafe-base64), so a client had to send that form there.")
	console := func(q string) sigconform.Input { return cloudstackGet(cloudstackConsole, q) }
	cases := []cloudstackCase{
		{"access", "the console URL for one VM", []string{"console"},
			"The urlsafe-base64 variant is what CloudStack 4.0/4.1's console expected instead.",
			console("cmd=access&vm=" + cloudstackVM)},
		{"access-vm-uppercase", "the console URL with the VM uuid in capitals", []string{"console"},
			"The command string is lowercased, so the signature equals the access case's.",
			console("cmd=access&vm=" + strings.ToUpper(cloudstackVM))},
		{"access-apikey-first", "the console URL with apikey given first", []string{"console"}, "",
			console("apikey=" + percent.Escape(cloudstackCreds.AccessKey) + "&cmd=access&vm=" + cloudstackVM)},
		{"access-https-port", "the console URL on another host and port", []string{"console"},
			"Neither host nor port is signed: the signature equals the access case's.",
			cloudstackGet("https://cloud.example.com:8443/client/console", "cmd=access&vm="+cloudstackVM)},
		{"access-v3", "the console URL with signatureVersion=3 and expires", []string{"console", "expiry"},
			"The console signs signatureVersion and expires like other parameters but never checks expires.",
			cloudstackV3(cloudstackConsole, "cmd=access&vm="+cloudstackVM, cloudstackExpires)},
		{"repeated-vm-first-wins", "a vm parameter repeated on the console: the first value is signed",
			[]string{"console", "params"},
			"ConsoleProxyServlet uses the container's map (value[0]); /client/api would sign the last value.",
			console("cmd=access&vm=" + cloudstackVM + "&vm=00000000-0000-0000-0000-000000000000")},
		{"repeated-vm-on-api", "the same repeated vm sent to /client/api: the last value is signed",
			[]string{"params"},
			"The query of repeated-vm-first-wins on /client/api, where utf8Fixup makes the last value win.",
			cloudstackGet(cloudstackAPI, "cmd=access&vm="+cloudstackVM+"&vm=00000000-0000-0000-0000-000000000000")},
		{"access-extra-param", "the console URL with an extra parameter", []string{"console", "params"},
			"Every parameter but signature is signed, whatever its name.",
			console("cmd=access&vm=" + cloudstackVM + "&locale=en_US")},
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: c.tags, Notes: c.notes, Input: c.in})
	}
	return b.File()
}

// --- post ------------------------------------------------------------------

const cloudstackForm = "application/x-www-form-urlencoded"

func cloudstackPostFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "post",
		"Form POSTs to /client/api: the container's parameter map holds the query and then an "+
			"application/x-www-form-urlencoded body (the first value of a repeated name); utf8Fixup then "+
			"re-puts only the query's tokens. The signer adds apiKey and signature to the URL.")
	deploy := cloudstackQuery("command", "deployVirtualMachine", "serviceOfferingId", "1", "templateId", "2",
		"zoneId", "4", "name", "web server 01")
	userdata := "I2Nsb3VkLWNvbmZpZwpydW5jbWQ6CiAgLSBlY2hvIGhpID4+IC90bXAveAo/+=="
	cases := []cloudstackCase{
		{"form-body", "deployVirtualMachine with every parameter in the form body", []string{"post"}, "",
			cloudstackPost("", cloudstackForm, deploy)},
		{"form-body-charset", "a form body with Content-Type charset=UTF-8 and a UTF-8 value", []string{"post", "utf8"}, "",
			cloudstackPost("", cloudstackForm+"; charset=UTF-8", cloudstackQuery("command", "updateVirtualMachine",
				"id", cloudstackVM, "displayName", "caf\u00e9 \u65e5\u672c"))},
		{"form-body-plus-is-space", "a raw '+' in the form body, decoded as a space", []string{"post", "encoding", "raw"},
			"Deliberately sends '+' unencoded in the body: it is a space, signed %20.",
			cloudstackPost("", cloudstackForm, "command=listVirtualMachines&name=web+server")},
		{"form-body-userdata", "deployVirtualMachine with Base64 userdata in the body", []string{"post", "encoding"},
			"Userdata holds '+', '/' and '=', signed %2b, %2f and %3d.",
			cloudstackPost("", cloudstackForm, deploy+"&userdata="+percent.Escape(userdata))},
		{"query-and-body", "command in the query string, the other parameters in the body", []string{"post", "params"}, "",
			cloudstackPost("command=deployVirtualMachine", cloudstackForm,
				cloudstackQuery("serviceOfferingId", "1", "templateId", "2", "zoneId", "4"))},
		{"repeated-in-body-first-wins", "a name repeated in the form body: the first value is signed",
			[]string{"post", "params"}, "getParameterMap()'s value[0] counts; utf8Fixup does not look at the body.",
			cloudstackPost("", cloudstackForm, "command=listVirtualMachines&id=1&id=2")},
		{"repeated-in-query-and-body", "a name in both the query and the body: the query's value is signed",
			[]string{"post", "params"}, "The container lists query values first and utf8Fixup re-puts the query's.",
			cloudstackPost("command=listVirtualMachines&id=1", cloudstackForm, "id=2")},
		{"non-form-content-type", "a POST whose body is JSON: only the query is signed", []string{"post", "params"},
			"The container parses a body only for application/x-www-form-urlencoded.",
			cloudstackPost("command=listZones", "application/json", `{"name":"ignored"}`)},
		{"no-content-type", "a POST without Content-Type: the body is not parameters", []string{"post", "params"}, "",
			cloudstackPost("command=listZones", "", "name=ignored")},
		{"form-content-type-case", "Content-Type in capitals", []string{"post"},
			"Media types compare without regard to case.",
			cloudstackPost("", "Application/X-WWW-Form-URLEncoded", "command=listZones&name=a")},
		{"long-value-in-body", "a 4 KiB value in the form body", []string{"post", "long"}, "",
			cloudstackPost("", cloudstackForm, cloudstackQuery("command", "updateVirtualMachine", "id", cloudstackVM,
				"userdata", strings.Repeat("0123456789abcdef", 256)))},
	}
	for _, c := range cases {
		b.Sign(SignSpec{Name: c.name, Title: c.title, Tags: c.tags, Notes: c.notes, Input: c.in})
	}
	return b.File()
}

// --- verify ----------------------------------------------------------------

// cloudstackBase is a signed request to tamper with, with the parameters
// the tamperings touch.
type cloudstackBase struct {
	name, title string
	tags        []string
	in          sigconform.Input
	removed     string // the name of the signed parameter param-removed drops
	repeated    string // the token param-repeated appends to the query
	repeatedOK  bool   // whether the appended duplicate is ignored (first value wins)
	inBody      bool   // removed lives in the body
}

func cloudstackBases() []cloudstackBase {
	timed := func(in sigconform.Input) sigconform.Input { in.Context.Time = cloudstackTime; return in }
	post := cloudstackPost("", cloudstackForm, cloudstackQuery("command", "deployVirtualMachine",
		"serviceOfferingId", "1", "templateId", "2", "zoneId", "4", "name", "web server 01"))
	return []cloudstackBase{
		{name: "listvms", title: "listVirtualMachines with a space, '*', '~' and UTF-8 in a value",
			tags:    []string{"encoding", "ascii", "utf8"},
			in:      timed(cloudstackGet(cloudstackAPI, cloudstackQuery("command", "listVirtualMachines", "name", "web server*01~caf\u00e9", "response", "json"))),
			removed: "response", repeated: "name=other"},
		{name: "v3", title: "listZones with signatureVersion=3, expiring 15 minutes after signing",
			tags:    []string{"expiry"},
			in:      timed(cloudstackV3(cloudstackAPI, "command=listZones", cloudstackExpires)),
			removed: "signatureVersion", repeated: "expires=2030-01-01T00%3A00%3A00%2B0000"},
		{name: "console", title: "the console URL cmd=access&vm=<uuid>",
			tags:    []string{"console"},
			in:      timed(cloudstackGet(cloudstackConsole, "cmd=access&vm="+cloudstackVM)),
			removed: "cmd", repeated: "vm=00000000-0000-0000-0000-000000000000", repeatedOK: true},
		{name: "console-v3", title: "the console URL with signatureVersion=3 and expires",
			tags:    []string{"console", "expiry"},
			in:      timed(cloudstackV3(cloudstackConsole, "cmd=access&vm="+cloudstackVM, cloudstackExpires)),
			removed: "expires", repeated: "vm=00000000-0000-0000-0000-000000000000", repeatedOK: true},
		{name: "post", title: "deployVirtualMachine as a form POST",
			tags:    []string{"post", "params"},
			in:      timed(post),
			removed: "name", inBody: true, repeated: "name=other"},
		{name: "mixed-case", title: "deployVirtualMachine with names whose order changes when lowercased",
			tags: []string{"params"},
			in: timed(cloudstackGet(cloudstackAPI, cloudstackQuery("command", "deployVirtualMachine",
				"templateId", "2", "temPlateidd", "1", "Zoneid", "4", "a_b", "x", "aB", "y"))),
			removed: "temPlateidd", repeated: "templateId=3"},
	}
}

// cloudstackTokens edits the query of in's URL (or, with body, its body)
// token by token.
func cloudstackTokens(in sigconform.Input, body bool, edit func([]string) []string) sigconform.Input {
	req := in.Request
	if body {
		req.Body = strings.Join(edit(strings.Split(req.Body, "&")), "&")
	} else {
		base, query, _ := strings.Cut(req.URL, "?")
		req.URL = base + "?" + strings.Join(edit(strings.Split(query, "&")), "&")
	}
	in.Request = req
	return in
}

// cloudstackDrop removes the tokens whose name (before '=') is name.
func cloudstackDrop(in sigconform.Input, body bool, name string) sigconform.Input {
	return cloudstackTokens(in, body, func(ts []string) []string {
		return slices.DeleteFunc(ts, func(t string) bool { n, _, _ := strings.Cut(t, "="); return n == name })
	})
}

// cloudstackAppend adds token at the end of the query.
func cloudstackAppend(in sigconform.Input, token string) sigconform.Input {
	return cloudstackTokens(in, false, func(ts []string) []string { return append(ts, token) })
}

// cloudstackRename renames the tokens named from to to.
func cloudstackRename(in sigconform.Input, from, to string) sigconform.Input {
	return cloudstackTokens(in, false, func(ts []string) []string {
		for i, t := range ts {
			if n, v, ok := strings.Cut(t, "="); ok && n == from {
				ts[i] = to + "=" + v
			}
		}
		return ts
	})
}

// cloudstackDispute says which real verifiers disagree about in, given what
// else is known (lead, may be ""): CloudStack 4.0/4.1's console compared
// against unpadded URL-safe Base64 (variant urlsafe-base64).
func cloudstackDispute(in sigconform.Input, lead string) string {
	in.Scheme = "cloudstack"
	ref := cloudstack.Scheme.Verify(in, "")
	old := cloudstack.Scheme.Verify(in, cloudstack.URLSafeBase64)
	console := strings.Contains(strings.SplitN(in.Request.URL, "?", 2)[0], "/client/console")
	var s string
	switch {
	case ref.Accept == old.Accept:
	case ref.Accept && console:
		s = "CloudStack 4.0/4.1's console servlet compared against unpadded URL-safe Base64 (variant urlsafe-base64) and refuses this standard signature, which later consoles accept"
	case ref.Accept:
		s = "only the CloudStack 4.0/4.1 console rule (variant urlsafe-base64, unpadded URL-safe Base64) refuses this standard signature; /client/api of every version accepts it"
	case console:
		s = "CloudStack 4.0/4.1's console servlet accepted only the MAC in unpadded URL-safe Base64 (variant urlsafe-base64), which is what this signature is; later consoles refuse it as wrong-encoding"
	default:
		s = "the CloudStack 4.0/4.1 console rule (variant urlsafe-base64) accepts this signature, which is the MAC in unpadded URL-safe Base64; the API server refuses it as wrong-encoding"
	}
	switch {
	case lead == "":
		return cloudstackSentence(s)
	case s == "":
		return cloudstackSentence(lead)
	}
	return cloudstackSentence(lead + "; " + s)
}

func cloudstackSentence(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func cloudstackVerifyFile() (*vectors.File, error) {
	b := NewBuilder("cloudstack", "verify",
		"Signed requests and tampered copies, with the verdict of the management server (ApiServer."+
			"verifyRequest for /client/api, ConsoleProxyServlet for /client/console). The server answers every "+
			"refusal with the same 401; the reason is the reference's classification of why.")
	for _, base := range cloudstackBases() {
		if err := cloudstackVerifyBase(b, base); err != nil {
			return nil, err
		}
	}
	if err := cloudstackVerifyExpires(b); err != nil {
		return nil, err
	}
	return b.File()
}

// cloudstackVerifyBase writes base's verify cases, in groups.
func cloudstackVerifyBase(b *Builder, base cloudstackBase) error {
	v, err := tamper.NewValid(b.Scheme(), base.name, base.title, base.in)
	if err != nil {
		return err
	}
	c := &cloudstackVerifying{b: b, base: base, v: v, console: strings.Contains(base.in.Request.URL, "/client/console")}
	return inTurn(c.signatures, c.params, c.keys, c.clock)
}

// cloudstackVerifying is one base's verify cases being written.
type cloudstackVerifying struct {
	b       *Builder
	base    cloudstackBase
	v       tamper.Valid
	console bool // the base is a /client/console request
}

// add names the case base-suffix; its tamper is the suffix unless
// "suffix:tamper" gives another.
func (c *cloudstackVerifying) add(suffix, title string, want sigconform.Verdict, in sigconform.Input, lead, notes string) {
	suffix, tamper, ok := strings.Cut(suffix, ":")
	if !ok {
		tamper = suffix
	}
	in.Context = sigconform.Context{Time: in.Context.Time} // the verifier reads only the clock
	name := c.base.name + "-" + suffix
	tags := c.base.tags
	if suffix == "valid" {
		tamper = ""
	} else {
		tags = cloudstackTags(c.base.tags, "tamper")
	}
	c.b.Verify(VerifySpec{
		Name: name, Title: c.base.title + ": " + title, Tags: tags, Tamper: tamper, Want: want,
		Disputed: cloudstackDispute(in, lead), Notes: notes, Input: in,
	})
}

// signatures: the request as signed, its signature tampered with or written in
// another Base64, and signed with another key.
func (c *cloudstackVerifying) signatures() error {
	accept := sigconform.Accepted()
	reject := rejected
	sig := c.v.Result.Signature
	c.add("valid", "as signed", accept, c.v.Input(), "", "")
	flipped, err := tamper.FlipBit(sig)
	if err != nil {
		return fmt.Errorf("%s: %w", c.base.name, err)
	}
	c.add("one-bit", "one bit of the signature flipped", reject(sigconform.BadSignature), c.v.WithSignature(flipped), "", "")
	c.add("case-swapped", "the case of one signature letter changed", reject(sigconform.BadSignature),
		c.v.WithSignature(tamper.SwapCase(sig)), "", "Base64 is case-sensitive: another letter is another MAC.")
	urlSafe, changed := tamper.URLSafe(sig)
	if changed {
		c.add("urlsafe-base64", "the signature in URL-safe Base64, padding kept", reject(sigconform.WrongEncoding),
			c.v.WithSignature(urlSafe), "", "")
	}
	unpaddedSafe, _ := tamper.Unpadded(urlSafe)
	c.add("urlsafe-unpadded", "the signature in unpadded URL-safe Base64 (commons-codec encodeBase64URLSafeString)",
		reject(sigconform.WrongEncoding), c.v.WithSignature(unpaddedSafe), "", "")
	unpadded, _ := tamper.Unpadded(sig)
	c.add("unpadded", "the signature without its '=' padding", reject(sigconform.WrongEncoding), c.v.WithSignature(unpadded), "", "")
	other, err := tamper.NewValid(c.b.Scheme(), c.base.name, c.base.title, cloudstackWithSecret(c.base.in, cloudstackOtherSecret))
	if err != nil {
		return err
	}
	c.add("other-secret", "signed with another secret key", reject(sigconform.BadSignature),
		c.v.WithSignature(other.Result.Signature), "", "")
	return nil
}

// params: a parameter added, removed or repeated after signing.
func (c *cloudstackVerifying) params() error {
	accept := sigconform.Accepted()
	reject := rejected
	c.add("param-added", "a parameter added after signing", reject(sigconform.BadSignature),
		cloudstackAppend(c.v.Input(), "listall=true"), "", "Every parameter but signature is signed.")
	removedWant := reject(sigconform.BadSignature)
	removedNote := ""
	if c.base.removed == "signatureVersion" {
		removedNote = "Without signatureVersion=3 the server does not look at expires, but the signed string no longer matches."
	}
	c.add("param-removed", "the signed parameter "+c.base.removed+" removed", removedWant,
		cloudstackDrop(c.v.Input(), c.base.inBody, c.base.removed), "", removedNote)
	repeatedWant, repeatedNote := reject(sigconform.BadSignature),
		"On /client/api the last value of a name repeated in the query string is the one signed, so the appended "+c.base.repeated+" replaces the signed value."
	repeatedLead := ""
	if c.base.repeatedOK {
		repeatedWant = accept
		repeatedNote = "The console uses the first value of a repeated name, so the appended " + c.base.repeated + " is ignored; /client/api would sign the last value and refuse the request."
		repeatedLead = "ConsoleProxyServlet keeps the first value of a repeated name and ApiServer the last, so the same duplicate passes the console and fails the API"
	}
	if c.base.inBody {
		repeatedNote = "The duplicate is appended to the query string, whose value comes before the body's in the container's map and is re-put by utf8Fixup, so it replaces the signed body value."
	}
	c.add("param-repeated", "a signed parameter repeated at the end of the query with another value", repeatedWant,
		cloudstackAppend(c.v.Input(), c.base.repeated), repeatedLead, repeatedNote)
	if c.base.inBody {
		c.add("body-param-repeated", "a signed body parameter repeated at the end of the body with another value", accept,
			cloudstackTokens(c.v.Input(), true, func(ts []string) []string { return append(ts, c.base.repeated) }),
			"",
			"The container keeps the first value of a name repeated in a form body and utf8Fixup reads only the query, so the server ignores the appended value.")
	}
	return nil
}

// keys: the signature or the key missing, an unknown key, the names in
// another case, the signature not percent-encoded.
func (c *cloudstackVerifying) keys() error {
	accept := sigconform.Accepted()
	reject := rejected
	sig := c.v.Result.Signature
	c.add("no-signature", "the signature parameter removed", reject(sigconform.MissingParameter),
		cloudstackDrop(c.v.Input(), false, "signature"), "", "")
	c.add("no-key", "the apiKey parameter removed", reject(sigconform.MissingParameter),
		cloudstackDrop(c.v.Input(), false, "apiKey"), "", "")
	unknown := c.v.Input()
	unknown.Credentials.AccessKey = cloudstackOtherKey
	c.add("unknown-key", "checked by a server that does not know the apiKey", reject(sigconform.UnknownKey), unknown, "",
		"The verifier's key pair is another one; the request's apiKey is not a key it knows.")
	if c.base.name == "listvms" || c.base.name == "console" {
		c.add("signature-name-case", "the signature parameter sent as Signature", accept,
			cloudstackRename(c.v.Input(), "signature", "Signature"), "",
			"The server finds the signature under any case of its name and leaves it out of the signed string.")
	}
	rawWant, rawNote := accept, "The signature holds no '+', so the raw form decodes to the same string."
	if strings.Contains(sig, "+") {
		rawWant = reject(sigconform.WrongEncoding)
		rawNote = "The signature holds '+', which the servlet decodes as a space."
	}
	raw := c.v.Input()
	raw.Request.URL = strings.Replace(raw.Request.URL, "signature="+cloudstack.JavaURLEncode(sig), "signature="+sig, 1)
	c.add("signature-unencoded:raw-signature", "the signature written into the URL without percent-encoding", rawWant, raw, "", rawNote)
	return nil
}

// clock: the verifier's clock: a year later without expiry, around expires
// with it.
func (c *cloudstackVerifying) clock() error {
	accept := sigconform.Accepted()
	reject := rejected
	switch {
	case c.base.name == "listvms":
		late, err := c.v.At(365 * 24 * time.Hour)
		if err != nil {
			return err
		}
		c.add("late", "checked a year after signing, without signatureVersion=3", accept, late, "",
			"Without signatureVersion=3 the server has no notion of time.")
		c.add("key-name-case", "the apiKey parameter sent as APIKEY", accept, cloudstackRename(c.v.Input(), "apiKey", "APIKEY"), "",
			"The server finds the key under any case; APIKEY still sorts first and lowercases to the signed apikey.")
	case slices.Contains(c.base.tags, "expiry"):
		type shift struct {
			tamper, title string
			d             time.Duration
			want          sigconform.Verdict
			notes         string
		}
		shifts := []shift{
			{"expired", "checked an hour after signing, 45 minutes after expires", time.Hour, reject(sigconform.Expired), ""},
			{"future", "checked an hour before signing", -time.Hour, accept,
				"expires is 75 minutes away; only with enforce.post.requests.and.timestamps=true (off by default) " +
					"does the server refuse expires more than 15 minutes ahead."},
			{"at-expiry", "checked at the instant expires names", 15 * time.Minute, accept,
				"The server refuses expires only when it is before now."},
			{"expired-by-one-second:expired", "checked one second after expires", 15*time.Minute + time.Second, reject(sigconform.Expired), ""},
		}
		for _, s := range shifts {
			in, err := c.v.At(s.d)
			if err != nil {
				return err
			}
			want, lead, notes := s.want, "", s.notes
			if c.console && !s.want.Accept {
				want = accept
				lead = "ConsoleProxyServlet never checks expires (apache/cloudstack#8299), so it accepts what /client/api refuses as expired"
				notes = "The console signs signatureVersion and expires but does not look at them."
			}
			c.add(s.tamper, s.title, want, in, lead, notes)
		}
		noExpires := cloudstackDrop(c.v.Input(), false, "expires")
		noExpiresWant := reject(sigconform.MissingParameter)
		noExpiresNote := "ApiServer refuses signatureVersion=3 without expires before it checks the signature."
		if c.console {
			noExpiresWant = reject(sigconform.BadSignature)
			noExpiresNote = "The console does not require expires; the signed string no longer matches."
		}
		if c.base.removed != "expires" {
			c.add("no-expires", "the expires parameter removed", noExpiresWant, noExpires, "", noExpiresNote)
		}
	}
	return nil
}

// cloudstackWithSecret is in signed with another secret key.
func cloudstackWithSecret(in sigconform.Input, secret string) sigconform.Input {
	in.Credentials.SecretKey = secret
	return in
}

// cloudstackVerifyExpires adds verify cases for expires values in other
// offsets and forms, each checked just before and just after its instant,
// and for expires values the server cannot parse.
func cloudstackVerifyExpires(b *Builder) error {
	forms := []struct{ name, value, instant string }{
		{"offset-positive", "2024-01-02T08:49:05+0530", "2024-01-02T03:19:05Z"},
		{"offset-negative", "2024-01-01T19:19:05-0800", "2024-01-02T03:19:05Z"},
		{"offset-colon", "2024-01-02T08:49:05+05:30", "2024-01-02T03:19:05Z"},
		{"micros-offset-hh", "2024-01-02T08:19:05.123456+05", "2024-01-02T03:19:05Z"},
		{"legacy-literal-z", "2024-01-02T03:19:05Z+0100", "2024-01-02T02:19:05Z"},
	}
	for _, f := range forms {
		v, err := tamper.NewValid(b.Scheme(), "expires-"+f.name, "", cloudstackV3(cloudstackAPI, "command=listZones", f.value))
		if err != nil {
			return err
		}
		instant, err := time.Parse(time.RFC3339, f.instant)
		if err != nil {
			return err
		}
		for _, at := range []struct {
			suffix, title string
			d             time.Duration
			want          sigconform.Verdict
		}{
			{"before", "checked one second before", -time.Second, sigconform.Accepted()},
			{"after", "checked one second after", time.Second, sigconform.Rejected(sigconform.Expired, "")},
		} {
			in := v.Input()
			in.Context = sigconform.Context{Time: instant.Add(at.d).Format(time.RFC3339)}
			tamper := ""
			if !at.want.Accept {
				tamper = "expired"
			}
			b.Verify(VerifySpec{
				Name:  "expires-" + f.name + "-" + at.suffix,
				Title: fmt.Sprintf("signatureVersion=3 with expires %s, %s %s", f.value, at.title, f.instant),
				Tags:  []string{"expiry"}, Tamper: tamper, Want: at.want,
				Disputed: cloudstackDispute(in, ""),
				Notes:    "The offset is applied before comparing with now.",
				Input:    in,
			})
		}
	}
	bad := []struct{ name, title, value, notes string }{
		{"expires-no-offset", "expires without an offset", "2024-01-02T03:19:05",
			"Every format DateUtil.parseTZDateString tries needs an offset; the server refuses the request."},
		{"expires-space", "expires with a space instead of 'T'", "2024-01-02 03:19:05+0000", ""},
		{"expires-epoch", "expires as Unix seconds", "1704165545", ""},
	}
	for _, c := range bad {
		in := cloudstackV3(cloudstackAPI, "command=listZones", c.value)
		in.Context.Time = cloudstackTime
		v, err := tamper.NewValid(b.Scheme(), c.name, c.title, in)
		if err != nil {
			return err
		}
		in = v.Input()
		in.Context = sigconform.Context{Time: cloudstackTime}
		b.Verify(VerifySpec{
			Name: c.name, Title: "signatureVersion=3 with " + c.title, Tags: []string{"expiry"},
			Tamper: "bad-expires", Want: sigconform.Rejected(sigconform.Malformed, ""),
			Disputed: cloudstackDispute(in, ""), Notes: c.notes, Input: in,
		})
	}
	// signatureVersion other than 3: expires is signed but not checked.
	v2 := cloudstackGet(cloudstackAPI, "command=listZones&signatureVersion=2&expires="+percent.Escape("2000-01-01T00:00:00+0000"))
	v2.Context.Time = cloudstackTime
	v, err := tamper.NewValid(b.Scheme(), "version-2-expired", "", v2)
	if err != nil {
		return err
	}
	b.Verify(VerifySpec{
		Name: "version-2-past-expires", Title: "signatureVersion=2 with an expires in the past",
		Tags: []string{"expiry"}, Want: sigconform.Accepted(), Disputed: cloudstackDispute(v.Input(), ""),
		Notes: "Only signatureVersion=3 makes ApiServer check expires (unless enforce.post.requests.and.timestamps is on, " +
			"which refuses any other version).",
		Input: v.Input(),
	})
	return nil
}
