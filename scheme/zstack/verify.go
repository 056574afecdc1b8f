package zstack

import (
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Verify checks in.Request as the server receives it, in the server's
// order: Authorization type, Date (present, parsable, within MaxClockSkew
// of Context.Time), key part format, key id, signature. Context.Time is the
// server's clock and its offset the server's time zone (see the package
// comment). The WithContextPrefix and WithQueryString variants only change
// signing and verify like the reference.
func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	auth, ok := in.Request.Header("Authorization")
	if !ok {
		return sigconform.Rejected(sigconform.MissingParameter, "missing header 'Authorization' (server: 400)")
	}
	keyPart, err := accessKeyPart(auth)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error()+" (server: 400 Authorization type must be 'OAuth')")
	}
	if v := checkDate(in, r.byInstant); !v.Accept {
		return v
	}
	keyID, sig, err := splitKeyPart(keyPart)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error()+" (server: 400)")
	}
	if keyID != in.Credentials.AccessKey {
		return sigconform.Rejected(sigconform.UnknownKey,
			fmt.Sprintf("access key id: %s does not existed or disabled (server: 403)", keyID))
	}
	date, _ := in.Request.Header("Date")
	sts, err := rules{}.stringToSign(in.Request, date)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	want := Signature(in.Credentials.SecretKey, sts)
	if hmac.Equal([]byte(sig), []byte(want)) {
		return sigconform.Accepted()
	}
	if otherEncoding(sig, want) {
		return sigconform.Rejected(sigconform.WrongEncoding,
			"the HMAC is right but not in padded standard Base64 (server: 403 wrong accessKey signature)")
	}
	return sigconform.Rejected(sigconform.BadSignature, "wrong accessKey signature (server: 403)")
}

// checkDate is RestServer.checkTime. byInstant is rest.checkTimeZone=true.
func checkDate(in sigconform.Input, byInstant bool) sigconform.Verdict {
	v, ok := in.Request.Header("Date")
	if !ok {
		return sigconform.Rejected(sigconform.MissingParameter, "'Date' must be incuded in request header (server: 400)")
	}
	d, err := ParseDate(v)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error()+" (server: 400)")
	}
	now, err := time.Parse(time.RFC3339, in.Context.Time)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, "the verifier needs context.time (RFC 3339) as its clock")
	}
	date, clock := d.Wall, wallClock(now)
	if byInstant {
		date, clock = d.Instant(), now
	}
	if !withinSkew(date, clock) {
		return sigconform.Rejected(sigconform.Expired, fmt.Sprintf(
			"Date %q is %v from the server clock %s, more than %v (server: 403 requestTimeTooSkewed)",
			v, date.Sub(clock), in.Context.Time, MaxClockSkew))
	}
	return sigconform.Accepted()
}

// otherEncoding reports whether sig is the HMAC want (padded standard
// Base64) written in another Base64 form: unpadded, URL-safe, or both.
func otherEncoding(sig, want string) bool {
	raw, err := base64.StdEncoding.DecodeString(want)
	if err != nil {
		return false
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if hmac.Equal([]byte(sig), []byte(enc.EncodeToString(raw))) {
			return true
		}
	}
	return false
}
