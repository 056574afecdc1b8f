package sigv2

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/internal/percent"
)

// Param is one query or form parameter, decoded. Parameters are kept as an
// ordered list: the signer sorts them itself, and the order they arrived in
// matters only for version 1's names equal but for case, which keep it
// (StringToSignV1).
type Param struct {
	Name, Value string
}

// Encode percent-encodes s as Signature Version 2 requires: the RFC 3986
// unreserved characters A-Z a-z 0-9 - _ . ~ are kept, every other byte of the
// UTF-8 string becomes %XX with uppercase hex, so a space is %20, never +.
func Encode(s string) string { return encode(s, false, false) }

// encode is Encode with the two deviations variants need: plus writes a
// space as + (quote_plus, url.QueryEscape, java.net.URLEncoder), tilde
// writes ~ as %7E (RFC 2396 encoders, Python < 3.7 quote with safe=”).
func encode(s string, plus, tilde bool) string {
	keep, space := encoding(plus, tilde)
	return percent.Encode(s, keep, space)
}

// encoding is the bytes encode keeps and what it writes for a space.
func encoding(plus, tilde bool) (keep func(byte) bool, space string) {
	keep, space = percent.Unreserved, ""
	if tilde {
		keep = unreservedButTilde
	}
	if plus {
		space = "+"
	}
	return keep, space
}

func unreservedButTilde(c byte) bool { return c != '~' && percent.Unreserved(c) }

// CanonicalQuery is Signature Version 2's canonicalized query string: every
// parameter except Signature, sorted by name with natural byte ordering of
// the unencoded UTF-8 names, each written Encode(name)=Encode(value), joined
// with &. The value is written even when empty ("Name=").
func CanonicalQuery(params []Param) string { return canonicalQuery(params, false, false) }

func canonicalQuery(params []Param, plus, tilde bool) string {
	ps := slices.DeleteFunc(slices.Clone(params), func(p Param) bool { return p.Name == paramSignature })
	// Sorting the decoded names (not the encoded ones) is what the AWS
	// documents say and what botocore (sorted(params)) and aws-sdk-go v1
	// (sort.Strings on url.Values keys) do; the two orders differ for names
	// holding characters such as ':' that sort after '%'.
	sortByName(ps)
	return writeQuery(ps, plus, tilde)
}

// sortByName sorts ps by name in byte order.
func sortByName(ps []Param) {
	slices.SortStableFunc(ps, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
}

// writeQuery writes ps in the order given, Encode(name)=Encode(value)
// joined with &.
func writeQuery(ps []Param, plus, tilde bool) string {
	keep, space := encoding(plus, tilde)
	size := 0
	for _, p := range ps {
		size += len(p.Name) + len(p.Value) + 2 // the size unescaped: a floor
	}
	var b strings.Builder
	b.Grow(size + size/4) // room for a few escapes
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		percent.Write(&b, p.Name, keep, space)
		b.WriteByte('=')
		percent.Write(&b, p.Value, keep, space)
	}
	return b.String()
}

// ParseQuery decodes an application/x-www-form-urlencoded string (a URL's
// raw query or a POST body) into parameters in the order written. As a
// servlet container or Python's parse_qs does, + is read as a space. Empty
// segments (a&&b) are skipped; a segment without = is a name with an empty
// value.
func ParseQuery(raw string) ([]Param, error) {
	var out []Param
	for seg := range strings.SplitSeq(raw, "&") {
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("parameter name %q: %w", k, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("value of %q: %w", name, err)
		}
		out = append(out, Param{Name: name, Value: value})
	}
	return out, nil
}

// lookup returns the value of the parameter named name and whether there
// is one. Names are case-sensitive, as AWS's are.
func lookup(params []Param, name string) (string, bool) {
	for _, p := range params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// set replaces the value of name, or appends it.
func set(params []Param, name, value string) []Param {
	for i, p := range params {
		if p.Name == name {
			params[i].Value = value
			return params
		}
	}
	return append(params, Param{Name: name, Value: value})
}

// duplicate returns the first name given twice, if any. Signature Version 2
// has no rule for sorting repeated names, and the SDKs keep only one value
// (aws-sdk-go v1 Query.Get, botocore's dict), so a repeated name is refused
// rather than guessed at.
func duplicate(params []Param) (string, bool) {
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Name] {
			return p.Name, true
		}
		seen[p.Name] = true
	}
	return "", false
}
