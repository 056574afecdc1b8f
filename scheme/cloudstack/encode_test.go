package cloudstack

import (
	"errors"
	"slices"
	"testing"
	"time"
	"unicode/utf16"
)

// Expected values below are derived by hand from java.net.URLEncoder's and
// URLDecoder's documented rules (unreserved: A-Z a-z 0-9 . - * _; space is
// '+'; everything else %XX of the UTF-8 bytes, upper-case hex) and from the
// UTF-8 byte sequences of the characters, not from running this package.

func TestEncodeValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"listZones", "listZones"},
		{"a b", "a%20b"},         // URLEncoder '+' then replaceAll("\\+", "%20")
		{"a+b", "a%2Bb"},         // a literal '+' is escaped first, so it survives
		{"*", "*"},               // Java keeps '*' (RFC 3986 does not)
		{"~", "%7E"},             // Java escapes '~' (RFC 3986 does not)
		{".-_", ".-_"},           // the rest of the unreserved set
		{"é", "%C3%A9"},          // U+00E9 = C3 A9
		{"€", "%E2%82%AC"},       // U+20AC = E2 82 AC
		{"😀", "%F0%9F%98%80"},    // U+1F600 = F0 9F 98 80
		{"/=&%", "%2F%3D%26%25"}, // reserved characters
		{"!'()", "%21%27%28%29"}, // URLEncoder escapes these too
		{"[0]", "%5B0%5D"},       // brackets in values
		{"2011-10-10T12:00:00+0530", "2011-10-10T12%3A00%3A00%2B0530"},
		{"\xff", "%EF%BF%BD"}, // invalid UTF-8 is taken as U+FFFD = EF BF BD
	} {
		if got := EncodeValue(tc.in); got != tc.want {
			t.Errorf("EncodeValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJavaURLEncode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a b", "a+b"},
		{"a+b", "a%2Bb"},
		{"Lxx1DM40AjcXU/caiK8RAP0O1hU=", "Lxx1DM40AjcXU%2FcaiK8RAP0O1hU%3D"}, // as printed in the guide
		{"~*", "%7E*"},
	} {
		if got := JavaURLEncode(tc.in); got != tc.want {
			t.Errorf("JavaURLEncode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDecodeComponent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a+b", "a b"}, // '+' is a space
		{"a%20b", "a b"},
		{"%2B", "+"},
		{"%C3%A9", "é"},
		{"%c3%a9", "é"},                     // lower-case hex is accepted
		{"é", "é"},                          // a raw character stays
		{"%E2%82A", "\uFFFDA"},              // E2 82 is a cut 3-byte sequence: one U+FFFD
		{"%FF%FF", "\uFFFD\uFFFD"},          // FF never starts a sequence: one each
		{"%ED%A0%80", "\uFFFD\uFFFD\uFFFD"}, // an encoded surrogate is three bad bytes
		{"%F0%9F%98%80", "😀"},
		{"%EF%BF%BD", "\uFFFD"}, // a real U+FFFD decodes to itself
		{"2011-10-10T12:00:00+0530", "2011-10-10T12:00:00 0530"},
	} {
		got, err := DecodeComponent(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("DecodeComponent(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"%", "%4", "a%2", "%zz", "%4G", "%%41"} {
		if got, err := DecodeComponent(bad); !errors.Is(err, ErrBadEscape) {
			t.Errorf("DecodeComponent(%q) = %q, %v; want ErrBadEscape", bad, got, err)
		}
	}
}

func TestJavaLowerCase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ApiKey=ABC%2F", "apikey=abc%2f"},
		{"Ä", "ä"},
		{"İ", "i\u0307"},                     // Java's special casing, not Go's "i"
		{"ΟΔΟΣ", "\u03BF\u03B4\u03BF\u03C2"}, // final sigma at the end of a word
		{"ΣΑ", "\u03C3\u03B1"},               // not final: ordinary sigma
		{"Σ", "\u03C3"},                      // no cased letter before it: ordinary
	} {
		if got := JavaLowerCase(tc.in); got != tc.want {
			t.Errorf("JavaLowerCase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCompareJava(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"Zoneid", "aB", -1},  // 'Z' 0x5A < 'a' 0x61
		{"aB", "a_b", -1},     // 'B' 0x42 < '_' 0x5F
		{"a_b", "apiKey", -1}, // '_' 0x5F < 'p' 0x70
		{"name", "name2", -1}, // a prefix sorts first
		{"temPlateidd", "templateId", -1},
		{"\U0001F600", "\uFFFD", -1}, // UTF-16: D83D < FFFD; UTF-8 bytes would say the opposite
		{"x", "x", 0},
	} {
		if got := CompareJava(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareJava(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// CompareJava walks the strings without converting them; on every pair of
// a set that mixes ASCII, BMP characters on either side of the surrogates,
// supplementary ones, invalid UTF-8 and prefixes, it must order as
// comparing the whole UTF-16 forms does.
func TestCompareJavaIsUTF16Order(t *testing.T) {
	strs := []string{"", "a", "ab", "aB", "a\uFFFD", "a\U0001F600", "a\uE000", "\xc3", "\xc3\xa9", "\xff",
		"\uFFFF", "\U00010000", "\u00E9", "\u00E9z", "\U0001F600\U0001F601", "\U0001F601", "\uD7FF"}
	for _, a := range strs {
		for _, b := range strs {
			want := slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
			if got := CompareJava(a, b); got != want {
				t.Errorf("CompareJava(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestCommandString(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params Params
		want   string
	}{
		{"guide deployVirtualMachine", Params{
			"command": "deployVirtualMachine", "serviceOfferingId": "1", "diskOfferingId": "1",
			"templateId": "2", "zoneId": "4", "apiKey": "miVr6X7u6bN_sdahOBpjNejPgEsT35eXq-jB8CG20YI3yaxXcgpyuaIRmFI_EJTVwZ0nUkkJbPmY3y2bciKwFQ",
			"signature": "Lxx1DM40AjcXU/caiK8RAP0O1hU="},
			// printed in the developer guide, step 2
			"apikey=mivr6x7u6bn_sdahobpjnejpgest35exq-jb8cg20yi3yaxxcgpyuairmfi_ejtvwz0nukkjbpmy3y2bcikwfq&command=deployvirtualmachine&diskofferingid=1&serviceofferingid=1&templateid=2&zoneid=4"},
		{"special characters in a value", Params{"command": "listZones", "name": "a b~c*d[e]", "apiKey": "K"},
			"apikey=k&command=listzones&name=a%20b%7ec*d%5be%5d"},
		{"names sorted case-sensitively before lowercasing", Params{"Zoneid": "1", "a_b": "x", "aB": "y", "apiKey": "k", "command": "c"},
			"zoneid=1&ab=y&a_b=x&apikey=k&command=c"},
		{"names differing only in case", Params{"temPlateidd": "a", "templateId": "b"},
			"templateidd=a&templateid=b"},
		{"signature left out in any case", Params{"command": "x", "SIGNATURE": "s", "apiKey": "k"},
			"apikey=k&command=x"},
		{"name sorted before a longer name", Params{"name": "1", "name2": "2"},
			"name=1&name2=2"},
		{"names not encoded", Params{"tags[0].key": "a b"},
			"tags[0].key=a%20b"},
		{"plus in a value", Params{"q": "1+1"}, "q=1%2b1"},
		{"UTF-8 value", Params{"n": "é"}, "n=%c3%a9"},
		{"empty value", Params{"a": ""}, "a="},
		{"expires is signed like any value", Params{"expires": "2011-10-10T12:00:00+0530", "signatureVersion": "3"},
			"expires=2011-10-10t12%3a00%3a00%2b0530&signatureversion=3"},
		{"no parameters", Params{}, ""},
	} {
		if got := CommandString(tc.params); got != tc.want {
			t.Errorf("%s: CommandString = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCommandStringVariants(t *testing.T) {
	p := Params{"v": "a b~c*"}
	for _, tc := range []struct{ variant, want string }{
		{"", "v=a%20b%7ec*"},
		{LowercaseThenSort, "v=a%20b%7ec*"},
		{URLSafeBase64, "v=a%20b%7ec*"},
		{PlusForSpace, "v=a+b%7ec*"},
		{UnencodedValues, "v=a b~c*"},
		{TildeUnencoded, "v=a%20b~c*"},
		{StarEncoded, "v=a%20b%7ec%2a"},
		{RFC3986Unreserved, "v=a%20b~c%2a"},
		{NoLowercase, "v=a%20b%7Ec*"},
		{CodepointOrder, "v=a%20b%7ec*"},
		{PairsSorted, "v=a%20b%7ec*"},
		{BracketsUnencoded, "v=a%20b%7ec*"},
		{NamesEncoded, "v=a%20b%7ec*"},
		{Csclient, "v=a%20b~c%2a"},
		{Libcloud, "v=a%20b~c*"},
	} {
		got, err := CommandStringVariant(p, tc.variant)
		if err != nil || got != tc.want {
			t.Errorf("variant %q: %q, %v; want %q", tc.variant, got, err, tc.want)
		}
	}
	order := Params{"Zoneid": "1", "a_b": "x", "aB": "y", "apiKey": "k", "command": "c"}
	if got, _ := CommandStringVariant(order, LowercaseThenSort); got != "a_b=x&ab=y&apikey=k&command=c&zoneid=1" {
		t.Errorf("lowercase-then-sort order: %q", got)
	}
	if got, _ := CommandStringVariant(Params{"temPlateidd": "a", "templateId": "b"}, LowercaseThenSort); got != "templateid=b&templateidd=a" {
		t.Errorf("lowercase-then-sort, names differing in case: %q", got)
	}
	// One small input per variant that changes the order or the names;
	// the expected strings are written out by hand from each library's
	// code (see the variants' Refs), beside the server's.
	for _, tc := range []struct {
		name    string
		params  Params
		variant string
		want    string
	}{
		// U+1F600 is the surrogate pair D83D DE00: before U+FF21 in UTF-16
		// code units, after it by code point.
		{"server: UTF-16 order", Params{"\uFF21": "1", "\U0001F600": "2"}, "", "\U0001F600=2&\uFF41=1"},
		{"code point order", Params{"\uFF21": "1", "\U0001F600": "2"}, CodepointOrder, "\uFF41=1&\U0001F600=2"},
		// '2' (0x32) < '=' (0x3D)
		{"server: names sorted", Params{"name": "a", "name2": "b"}, "", "name=a&name2=b"},
		{"pairs sorted", Params{"name": "a", "name2": "b"}, PairsSorted, "name2=b&name=a"},
		{"server: brackets encoded", Params{"tags": "[0]"}, "", "tags=%5b0%5d"},
		{"brackets kept", Params{"tags": "[0]"}, BracketsUnencoded, "tags=[0]"},
		{"server: names raw", Params{"k!k": "1", "café": "2"}, "", "café=2&k!k=1"},
		{"names encoded", Params{"k!k": "1", "café": "2"}, NamesEncoded, "caf%c3%a9=2&k%21k=1"},
		// qs: %C3%89T%C3%89=1, apiKey=K, t%5B0%5D=y -> t[0]=y,
		// x=%5Ba%5D -> x=.a; the pairs sorted ('%' < 'a' < 't' < 'x'),
		// then lowercased.
		{"csclient", Params{"ÉTÉ": "1", "apiKey": "K", "t[0]": "y", "x": "[a]"}, Csclient, "%c3%89t%c3%89=1&apikey=k&t[0]=y&x=.a"},
		// lowered names été, zone, apikey sorted by code point (é after
		// z), then quote(key, safe='[]') and quote(value, safe='[]*').
		{"libcloud", Params{"ÉTÉ": "1", "Zone": "a~b*[c] d", "apiKey": "K"}, Libcloud, "apikey=k&zone=a~b*[c]%20d&%c3%a9t%c3%a9=1"},
	} {
		if got, err := CommandStringVariant(tc.params, tc.variant); err != nil || got != tc.want {
			t.Errorf("%s (%q): %q, %v; want %q", tc.name, tc.variant, got, err, tc.want)
		}
	}
	if _, err := CommandStringVariant(p, "nope"); err == nil {
		t.Error("unknown variant: no error")
	}
}

// TestLoweredTiesKeepRequestOrder: names equal once lowercased (Foo, foo)
// tie under the variants that lowercase before sorting. libcloud sorts the
// list [(k.lower(), v) for k, v in params.items()] with Python's stable
// list.sort by the lowered key, and its dict holds the request's order, so
// the tied pairs keep that order; the server sorts Foo before foo ('F' <
// 'f') whatever the order. The strings are written out by hand from that.
func TestLoweredTiesKeepRequestOrder(t *testing.T) {
	for _, tc := range []struct{ query, form, variant, want string }{
		{"Foo=1&foo=2", "", Libcloud, "foo=1&foo=2"},
		{"foo=2&Foo=1", "", Libcloud, "foo=2&foo=1"},
		{"foo=2&Foo=1", "", LowercaseThenSort, "foo=2&foo=1"},
		{"foo=2&Foo=1", "", "", "foo=1&foo=2"},
		{"Foo=1&foo=2", "", "", "foo=1&foo=2"},
		// The query's names come before the body's.
		{"foo=2", "Foo=1", Libcloud, "foo=2&foo=1"},
		// A repeated name has the place it first has (the value is
		// utf8Fixup's: the last in the query).
		{"foo=2&Foo=1&foo=3", "", Libcloud, "foo=3&foo=1"},
		{"z=x&FOO=%5B1%5D&Foo=a%20b&foo=*", "", Libcloud, "foo=[1]&foo=a%20b&foo=*&z=x"},
	} {
		p, names, err := apiParams(tc.query, tc.form)
		if err != nil {
			t.Fatalf("apiParams(%q, %q): %v", tc.query, tc.form, err)
		}
		if got := mustRules(tc.variant).commandString(p, names); got != tc.want {
			t.Errorf("%q + %q (%q): %q, want %q", tc.query, tc.form, tc.variant, got, tc.want)
		}
	}
}

func TestParseParams(t *testing.T) {
	for _, tc := range []struct {
		query, form  string
		api, console Params
	}{
		{"a=1&a=2", "", Params{"a": "2"}, Params{"a": "1"}}, // utf8Fixup: last wins; container: first
		{"a&b=", "", Params{"a": "", "b": ""}, Params{"a": "", "b": ""}},
		{"x=a+b%2Bc", "", Params{"x": "a b+c"}, Params{"x": "a b+c"}},
		{"=v", "", Params{"": "v"}, Params{"": "v"}},
		{"a=b=c", "", Params{"a": "b=c"}, Params{"a": "b=c"}},
		{"a=1&&b=2&", "", Params{"a": "1", "b": "2"}, Params{"a": "1", "b": "2"}},
		{"a=1", "a=2&b=3&b=4", Params{"a": "1", "b": "3"}, Params{"a": "1", "b": "3"}},
		{"", "", Params{}, Params{}},
	} {
		api, err := ParseParams(tc.query, tc.form)
		if err != nil || !equal(api, tc.api) {
			t.Errorf("ParseParams(%q, %q) = %v, %v; want %v", tc.query, tc.form, api, err, tc.api)
		}
		con, err := ParseConsoleParams(tc.query, tc.form)
		if err != nil || !equal(con, tc.console) {
			t.Errorf("ParseConsoleParams(%q, %q) = %v, %v; want %v", tc.query, tc.form, con, err, tc.console)
		}
	}
	if _, err := ParseParams("a=%zz", ""); !errors.Is(err, ErrBadEscape) {
		t.Errorf("bad escape: %v", err)
	}
}

func equal(a, b Params) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestParseExpires(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2011-10-10T12:00:00+0530", "2011-10-10T06:30:00Z"},  // the guide's example, pattern ...ssZ
		{"2011-10-10T12:00:00+05:30", "2011-10-10T06:30:00Z"}, // ISO_OFFSET_DATE_TIME
		{"2011-10-10T12:00:00Z", "2011-10-10T12:00:00Z"},
		{"2011-10-10t12:00:00z", "2011-10-10T12:00:00Z"},   // the ISO formatter ignores case
		{"2011-10-10T12:00+01:00", "2011-10-10T11:00:00Z"}, // ISO seconds are optional
		{"2011-10-10T12:00:00.123Z", "2011-10-10T12:00:00.123Z"},
		{"2011-10-10T12:00:00.123456+01", "2011-10-10T11:00:00.123Z"}, // .SSSSSSX, cut to ms
		{"2011-10-10T12:00:00.000000+0100", "2011-10-10T11:00:00Z"},   // .SSSSSSZ
		{"2011-10-10T12:00:00Z+0100", "2011-10-10T11:00:00Z"},         // legacy 'Z'Z
		{"2011-10-10T12:00:00-0000", "2011-10-10T12:00:00Z"},
		{"2011-02-30T12:00:00+0000", "2011-02-28T12:00:00Z"}, // SMART resolving moves Feb 30
	} {
		got, err := ParseExpires(tc.in)
		want, _ := time.Parse(time.RFC3339Nano, tc.want)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseExpires(%q) = %v, %v; want %v", tc.in, got, err, want)
		}
	}
	for _, bad := range []string{
		"2011-10-10T12:00:00",      // no offset
		"2011-10-10T12:00:00 0530", // a '+' that arrived as a space
		"2011-02-30T12:00:00Z",     // the strict ISO formatter refuses Feb 30
		"2011-10-10T24:00:00Z",
		"2011-10-10T12:00:00+1900",
		"2011-10-10T12:00:00.123'Z'",
		"2011-10-10 12:00:00+0000",
		"",
	} {
		if got, err := ParseExpires(bad); err == nil {
			t.Errorf("ParseExpires(%q) = %v, want an error", bad, got)
		}
	}
}

// mustRules is rulesFor for a variant name the test knows.
func mustRules(variant string) rules {
	r, err := rulesFor(variant)
	if err != nil {
		panic(err)
	}
	return r
}
