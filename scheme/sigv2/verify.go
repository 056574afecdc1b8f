package sigv2

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// Verify checks in.Request as a Signature Version 2 server would, or as
// keystone does for the Keystone variant. Variants that only change signing
// verify as the reference.
func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	o, err := rulesFor(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	req, err := parseRequest(in.Request)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	if o.keystone {
		return verifyKeystone(in, req)
	}
	return verifyReference(in, req)
}

// claim is what a signed request says about itself.
type claim struct {
	signature, accessKey, version, method string
}

// readClaim reads the authentication parameters; a Verdict is returned when
// one that every verifier needs is missing or unreadable.
func readClaim(req *request) (claim, *sigconform.Verdict) {
	var c claim
	var ok bool
	reject := func(r sigconform.Reason, format string, args ...any) (claim, *sigconform.Verdict) {
		v := sigconform.Rejected(r, fmt.Sprintf(format, args...))
		return c, &v
	}
	if c.signature, ok = lookup(req.params, paramSignature); !ok {
		return reject(sigconform.MissingParameter, "no %s parameter", paramSignature)
	}
	if c.accessKey, ok = lookup(req.params, paramAccessKey); !ok {
		return reject(sigconform.MissingParameter, "no %s parameter", paramAccessKey)
	}
	if c.version, ok = lookup(req.params, paramSignatureVersion); !ok {
		return reject(sigconform.MissingParameter, "no %s parameter", paramSignatureVersion)
	}
	switch c.version {
	case Version0, Version1, Version2:
	default:
		return reject(sigconform.Malformed, "unknown %s %q", paramSignatureVersion, c.version)
	}
	if c.version == Version0 {
		for _, name := range []string{paramAction, paramTimestamp} {
			if _, ok := lookup(req.params, name); !ok {
				return reject(sigconform.MissingParameter, "signature version 0 signs Action+Timestamp: no %s parameter", name)
			}
		}
	}
	return c, nil
}

func verifyReference(in sigconform.Input, req *request) sigconform.Verdict {
	c, bad := readReferenceClaim(req)
	if bad != nil {
		return *bad
	}
	ts, hasTS := lookup(req.params, paramTimestamp)
	exp, _ := lookup(req.params, paramExpires)
	if c.accessKey != in.Credentials.AccessKey {
		return sigconform.Rejected(sigconform.UnknownKey, fmt.Sprintf("access key %q is not known", c.accessKey))
	}
	now, err := verifierNow(in.Context)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	if hasTS {
		t, err := ParseTime(ts)
		if err != nil {
			return sigconform.Rejected(sigconform.Malformed, "Timestamp: "+err.Error())
		}
		if d := now.Sub(t).Abs(); d > ClockSkew {
			return sigconform.Rejected(sigconform.Expired, fmt.Sprintf("Timestamp %s is %s from now (%s), more than %s", ts, d, now.Format(time.RFC3339), ClockSkew))
		}
	} else {
		t, err := ParseTime(exp)
		if err != nil {
			return sigconform.Rejected(sigconform.Malformed, "Expires: "+err.Error())
		}
		if now.After(t) {
			return sigconform.Rejected(sigconform.Expired, fmt.Sprintf("Expires %s is before now (%s)", exp, now.Format(time.RFC3339)))
		}
	}
	sts, err := rules{}.signedString(c, req)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	return compare(in.Credentials.SecretKey, c.method, c.signature, sts)
}

// readReferenceClaim is readClaim with the reference verifier's further
// checks of the parameters, those it makes before it looks at the access
// key and the clock: a version 2 request names a known SignatureMethod
// (c.method; HmacSHA1 for versions 0 and 1), and exactly one of Timestamp
// and Expires is given.
func readReferenceClaim(req *request) (claim, *sigconform.Verdict) {
	c, bad := readClaim(req)
	if bad != nil {
		return c, bad
	}
	reject := func(r sigconform.Reason, detail string) (claim, *sigconform.Verdict) {
		v := sigconform.Rejected(r, detail)
		return c, &v
	}
	c.method = HmacSHA1
	if c.version == Version2 {
		var ok bool
		if c.method, ok = lookup(req.params, paramSignatureMethod); !ok {
			return reject(sigconform.MissingParameter, "no "+paramSignatureMethod+" parameter")
		}
		if c.method != HmacSHA256 && c.method != HmacSHA1 {
			return reject(sigconform.Malformed, fmt.Sprintf("unknown %s %q", paramSignatureMethod, c.method))
		}
	}
	_, hasTS := lookup(req.params, paramTimestamp)
	_, hasExp := lookup(req.params, paramExpires)
	switch {
	case !hasTS && !hasExp:
		return reject(sigconform.MissingParameter, "neither Timestamp nor Expires is given")
	case hasTS && hasExp:
		return reject(sigconform.Malformed, "both Timestamp and Expires are given")
	}
	return c, nil
}

// verifyKeystone follows keystone's ec2tokens: the access key is looked up,
// the signature checked (host as received, then without its port), and only
// then the Timestamp, which may be absent.
func verifyKeystone(in sigconform.Input, req *request) sigconform.Verdict {
	c, bad := readClaim(req)
	if bad != nil {
		return *bad
	}
	if c.accessKey != in.Credentials.AccessKey {
		return sigconform.Rejected(sigconform.UnknownKey, fmt.Sprintf("access key %q is not known", c.accessKey))
	}
	// Ec2Signer._calc_signature_2 overwrites SignatureMethod with
	// HmacSHA256 before it builds the query string; versions 0 and 1 use
	// its SHA-1 HMAC.
	params := req.params
	c.method = HmacSHA1
	if c.version == Version2 {
		c.method = HmacSHA256
		params = set(append([]Param(nil), req.params...), paramSignatureMethod, HmacSHA256)
	}
	hosts := []string{req.authority}
	if strings.Contains(req.authority, ":") {
		// urllib.parse.urlsplit('//' + host).hostname: lowercased, no
		// port, no IPv6 brackets.
		if u, err := url.Parse("//" + req.authority); err == nil {
			hosts = append(hosts, strings.ToLower(u.Hostname()))
		}
	}
	var v sigconform.Verdict
	for _, host := range hosts {
		// Ec2Signer._calc_signature_1 sorts the dict keys it is given
		// (the request's, in order) stably by their lowercased names, as
		// the reference does.
		sts, err := rules{}.stringToSign(c.version, host, req, params)
		if err != nil {
			return sigconform.Rejected(sigconform.Malformed, err.Error())
		}
		if v = compare(in.Credentials.SecretKey, c.method, c.signature, sts); v.Accept {
			break
		}
	}
	if !v.Accept {
		return v
	}
	ts, ok := lookup(req.params, paramTimestamp)
	if !ok {
		return v // "the signer must have intentionally left it off"
	}
	t, err := ParseTime(ts)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, "Timestamp: "+err.Error())
	}
	now, err := verifierNow(in.Context)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	if now.After(t.Add(ClockSkew)) {
		return sigconform.Rejected(sigconform.Expired, fmt.Sprintf("Timestamp %s is more than %s before now (%s)", ts, ClockSkew, now.Format(time.RFC3339)))
	}
	return v
}

func verifierNow(ctx sigconform.Context) (time.Time, error) {
	if ctx.Time == "" {
		return time.Time{}, fmt.Errorf("the verifier needs context.time to check the request's time")
	}
	t, err := time.Parse(time.RFC3339, ctx.Time)
	if err != nil {
		return time.Time{}, fmt.Errorf("context.time: %w", err)
	}
	return t, nil
}

// ParseTime reads a Timestamp or Expires value: ISO 8601 date and time, with
// a zone (Z or ±hh:mm) or without one, then read as UTC (the AWS
// documentation's own example, 2011-10-03T15:19:30, has none), with or
// without fractional seconds.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
}

// compare checks the signature the request carries against the HMAC of sts,
// in constant time, and tells a right HMAC written in another form
// (wrong-encoding) from a wrong one.
func compare(secret, method, got, sts string) sigconform.Verdict {
	mac, err := rawHMAC(secret, method, sts)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	want := base64.StdEncoding.EncodeToString(mac)
	if hmac.Equal([]byte(got), []byte(want)) {
		return sigconform.Accepted()
	}
	if form, ok := otherForm(got, mac); ok {
		return sigconform.Rejected(sigconform.WrongEncoding, "the signature is the right HMAC written as "+form+", not standard Base64")
	}
	return sigconform.Rejected(sigconform.BadSignature, "the signature does not match the string to sign")
}

// otherForm reports whether got is mac written in a form other than padded
// standard Base64, and names the form.
func otherForm(got string, mac []byte) (string, bool) {
	same := func(b []byte, err error) bool { return err == nil && hmac.Equal(b, mac) }
	switch {
	case same(base64.URLEncoding.DecodeString(got)):
		return "URL-safe Base64", true
	case same(base64.RawURLEncoding.DecodeString(got)):
		return "URL-safe Base64 without padding", true
	case same(base64.RawStdEncoding.DecodeString(got)):
		return "Base64 without padding", true
	case same(base64.StdEncoding.DecodeString(strings.ReplaceAll(got, " ", "+"))):
		return "Base64 whose + the client did not URL-encode (read back as spaces)", true
	case same(hex.DecodeString(got)):
		return "hex", true
	}
	return "", false
}
