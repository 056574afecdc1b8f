package sigv4

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// Verify checks in.Request as a SigV4 server following variant's rules
// would.
func (scheme) Verify(in sigconform.Input, variant string) sigconform.Verdict {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Rejected(sigconform.Malformed, err.Error())
	}
	return verify(in, r)
}

// authParams are the pieces of a SigV4 signature, from the Authorization
// header or from the X-Amz-* query parameters of a presigned URL.
type authParams struct {
	credential, signedHeaders, signature string
	amzDate                              string
	expires                              int // presigned only
	presigned                            bool
}

// verdictErr carries a rejection out of the parsing helpers.
type verdictErr struct {
	reason sigconform.Reason
	detail string
}

func (e *verdictErr) Error() string { return string(e.reason) + ": " + e.detail }

func reject(r sigconform.Reason, format string, args ...any) *verdictErr {
	return &verdictErr{r, fmt.Sprintf(format, args...)}
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=...". AWS accepts the three pieces in any order, separated by
// commas with optional spaces.
func parseAuthorization(v string) (authParams, *verdictErr) {
	var p authParams
	v = strings.TrimSpace(v)
	alg, rest, _ := strings.Cut(v, " ")
	if alg != Algorithm {
		return p, reject(sigconform.Malformed, "Authorization does not start with %s", Algorithm)
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return p, reject(sigconform.Malformed, "Authorization piece %q is not key=value", part)
		}
		if seen[k] {
			return p, reject(sigconform.Malformed, "Authorization gives %s twice", k)
		}
		seen[k] = true
		switch k {
		case "Credential":
			p.credential = val
		case "SignedHeaders":
			p.signedHeaders = val
		case "Signature":
			p.signature = val
		default:
			return p, reject(sigconform.Malformed, "Authorization has unknown piece %q", k)
		}
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if !seen[k] {
			return p, reject(sigconform.MissingParameter, "Authorization has no %s", k)
		}
	}
	return p, nil
}

// parsePresigned reads the X-Amz-* query parameters. The query values are
// percent-decoded.
func parsePresigned(query []queryPair) (authParams, *verdictErr) {
	p := authParams{presigned: true}
	get := func(name string) (string, *verdictErr) {
		var val string
		n := 0
		for _, q := range query {
			if q.key == name {
				val = q.value
				n++
			}
		}
		switch n {
		case 0:
			return "", reject(sigconform.MissingParameter, "query has no %s", name)
		case 1:
			return val, nil
		}
		return "", reject(sigconform.Malformed, "query gives %s %d times", name, n)
	}
	alg, err := get("X-Amz-Algorithm")
	if err != nil {
		return p, err
	}
	if alg != Algorithm {
		return p, reject(sigconform.Malformed, "X-Amz-Algorithm is %q, not %s", alg, Algorithm)
	}
	fields := []struct {
		name string
		dst  *string
	}{
		{"X-Amz-Credential", &p.credential},
		{"X-Amz-Date", &p.amzDate},
		{"X-Amz-SignedHeaders", &p.signedHeaders},
		{"X-Amz-Signature", &p.signature},
	}
	for _, f := range fields {
		if *f.dst, err = get(f.name); err != nil {
			return p, err
		}
	}
	exp, err := get("X-Amz-Expires")
	if err != nil {
		return p, err
	}
	n, perr := strconv.Atoi(exp)
	if perr != nil || n < 1 || n > MaxPresignExpires {
		return p, reject(sigconform.Malformed, "X-Amz-Expires %q is not a number of seconds in 1..%d", exp, MaxPresignExpires)
	}
	p.expires = n
	return p, nil
}

func verify(in sigconform.Input, r rules) sigconform.Verdict {
	v, err := check(in, r)
	if err != nil {
		return sigconform.Rejected(err.reason, err.detail)
	}
	return v
}

func check(in sigconform.Input, r rules) (sigconform.Verdict, *verdictErr) {
	s, err := parseSigned(in, r, in.Context.Time, false)
	if err != nil {
		return sigconform.Verdict{}, err
	}
	_, _, want, err := s.compute(in.Credentials.SecretKey)
	if err != nil {
		return sigconform.Verdict{}, err
	}
	return compareSignature(s.p.signature, want), nil
}

// signedRequest is a signed request as the verifier has parsed it, up to
// the HMAC: the signature pieces, the credential scope and what the
// canonical request is built from.
type signedRequest struct {
	p     authParams
	cred  []string // access-key, date, region, service, aws4_request
	input canonicalInput
}

// parseSigned does every check the verifier makes before it computes the
// HMAC, in the verifier's order. The clock is checked against now unless
// now is empty (checkTime). With anyKey the access key in the request is
// taken as it is instead of being compared with in.Credentials.AccessKey.
func parseSigned(in sigconform.Input, r rules, now string, anyKey bool) (*signedRequest, *verdictErr) {
	u, uerr := splitURL(in.Request.URL)
	if uerr != nil {
		return nil, reject(sigconform.Malformed, "%v", uerr)
	}
	p, verr := readAuth(in.Request, parseQuery(u.rawQuery))
	if verr != nil {
		return nil, verr
	}
	cp, verr := checkCredential(p, in, anyKey)
	if verr != nil {
		return nil, verr
	}
	if verr := checkDate(&p, in.Request, cp, now, r); verr != nil {
		return nil, verr
	}
	signed, verr := signedNames(p, r)
	if verr != nil {
		return nil, verr
	}
	ci, verr := verifierInput(in, r, u, p.presigned, signed)
	if verr != nil {
		return nil, verr
	}
	return &signedRequest{p: p, cred: cp, input: ci}, nil
}

// readAuth reads the signature's parameters from the Authorization header
// or, without one, from a presigned URL's query.
func readAuth(req sigconform.Request, query []queryPair) (authParams, *verdictErr) {
	if authz, ok := headerValue(req.Headers, "Authorization"); ok {
		return parseAuthorization(authz)
	}
	if hasQueryKey(query, "X-Amz-Algorithm") || hasQueryKey(query, "X-Amz-Signature") {
		return parsePresigned(query)
	}
	return authParams{}, reject(sigconform.MissingParameter, "no Authorization header and no X-Amz-Signature")
}

// checkCredential splits and checks Credential =
// access-key/date/region/service/aws4_request. The access key may not
// contain '/', so the last four pieces are the scope.
func checkCredential(p authParams, in sigconform.Input, anyKey bool) ([]string, *verdictErr) {
	cp := strings.Split(p.credential, "/")
	if len(cp) != 5 || cp[0] == "" || cp[4] != "aws4_request" {
		return nil, reject(sigconform.Malformed, "credential is not key/date/region/service/aws4_request")
	}
	if !anyKey && cp[0] != in.Credentials.AccessKey {
		return nil, reject(sigconform.UnknownKey, "access key %q is not known", cp[0])
	}
	if region := in.Context.Region; region != "" && cp[2] != region {
		return nil, reject(sigconform.Malformed, "credential scope region %q, expected %q", cp[2], region)
	}
	if service := in.Context.Service; service != "" && cp[3] != service {
		return nil, reject(sigconform.Malformed, "credential scope service %q, expected %q", cp[3], service)
	}
	return cp, nil
}

// checkDate reads the signing date into p (a header-signed request's
// X-Amz-Date header), checks it against the credential's date cp[1] and
// the clock (checkTime).
func checkDate(p *authParams, req sigconform.Request, cp []string, now string, r rules) *verdictErr {
	if !p.presigned {
		d, ok := headerValue(req.Headers, "X-Amz-Date")
		if !ok {
			return reject(sigconform.MissingParameter, "no X-Amz-Date header")
		}
		p.amzDate = strings.TrimSpace(d)
	}
	signedAt, derr := parseAmzDate(p.amzDate)
	if derr != nil {
		return reject(sigconform.Malformed, "X-Amz-Date %q is not YYYYMMDDTHHMMSSZ", p.amzDate)
	}
	if cp[1] != p.amzDate[:8] {
		return reject(sigconform.Malformed, "credential date %q does not match X-Amz-Date %q", cp[1], p.amzDate)
	}
	return checkTime(now, signedAt, *p, r)
}

// signedNames is SignedHeaders as a list: lowercase names, sorted, host
// among them.
func signedNames(p authParams, r rules) ([]string, *verdictErr) {
	signed := strings.Split(p.signedHeaders, ";")
	for i, n := range signed {
		// libcloud lists them sorted as its client wrote the names.
		unsorted := i > 0 && signed[i-1] >= n && !(r.sortAsWritten && !slices.Contains(signed[:i], n))
		if n == "" || n != strings.ToLower(n) || unsorted {
			return nil, reject(sigconform.Malformed, "SignedHeaders %q is not a sorted list of lowercase names", p.signedHeaders)
		}
	}
	if !containsName(signed, "host") {
		return nil, reject(sigconform.MissingParameter, "host is not a signed header")
	}
	return signed, nil
}

// verifierInput is what the verifier builds the canonical request from:
// the URL's parameters as the variant's verifier parses them (a presigned
// URL's signature left out), the payload hash it takes, the headers it
// sees.
func verifierInput(in sigconform.Input, r rules, u parsedURL, presigned bool, signed []string) (canonicalInput, *verdictErr) {
	req, ctx := in.Request, in.Context
	query := parseQueryFor(u.rawQuery, r)
	if presigned {
		query = dropKey(query, "X-Amz-Signature")
		if ctx.OmitSessionToken {
			// The token was added after signing (aws-c-auth's
			// omit_session_token): it is not in the canonical query.
			query = dropKey(query, "X-Amz-Security-Token")
		}
	}
	vreq := variantBody(req, r, query, presigned)
	var payload string
	if r.payloadUnchecked {
		payload = uncheckedPayload(vreq, presigned)
	} else {
		var verr *verdictErr
		if payload, verr = verifierPayload(vreq, ctx); verr != nil {
			return canonicalInput{}, verr
		}
	}
	if r.payloadBody || r.payloadByMethod {
		payload = payloadHashFor(vreq, ctx, r)
	}
	headers := req.Headers
	if _, ok := headerValue(headers, "Host"); !ok {
		// A vector's request may leave Host implicit in its URL, as an
		// HTTP client does; the server sees it either way.
		headers = append(slices.Clone(headers), sigconform.Header{Name: "Host", Value: u.hostHeader()})
	}
	ci := canonicalInput{
		method: req.Method, u: u, headers: headers, signed: signed, query: query,
		payload: payload, normalize: normalizeFor(ctx), r: r,
	}
	if isFormPost(req) {
		ci.formBody = req.Body
	}
	return ci, nil
}

// compute builds the canonical request and the string to sign of s and
// returns them with the HMAC under secret's signing key.
func (s *signedRequest) compute(secret string) (creq, sts string, mac []byte, err *verdictErr) {
	creq, _, berr := s.input.build()
	if berr != nil {
		return "", "", nil, reject(sigconform.MissingParameter, "%v", berr)
	}
	sts = StringToSign(s.p.amzDate, strings.Join(s.cred[1:], "/"), creq)
	mac = hmacSHA256(SigningKey(secret, s.cred[1], s.cred[2], s.cred[3]), sts)
	return creq, sts, mac, nil
}

// checkTime applies AWS's clock rules against the verifier's "now":
// a header-signed request is refused more than 15 minutes either side of
// X-Amz-Date; a presigned URL after X-Amz-Date + X-Amz-Expires (and, like a
// header, more than 15 minutes before X-Amz-Date).
//
// With future-date-accepted (keystone) only the second rule applies, with
// 15 minutes in place of X-Amz-Expires.
func checkTime(now string, signedAt time.Time, p authParams, r rules) *verdictErr {
	if now == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		return reject(sigconform.Malformed, "verifier context.time: %v", err)
	}
	skew := time.Duration(MaxClockSkew) * time.Second
	if r.futureAccepted {
		if t.After(signedAt.Add(skew)) {
			return reject(sigconform.Expired, "X-Amz-Date %s is more than 15 minutes old", signedAt.Format(AmzDateFormat))
		}
		return nil
	}
	if t.Before(signedAt.Add(-skew)) {
		return reject(sigconform.Expired, "X-Amz-Date %s is more than 15 minutes in the future", signedAt.Format(AmzDateFormat))
	}
	if p.presigned {
		if t.After(signedAt.Add(time.Duration(p.expires) * time.Second)) {
			return reject(sigconform.Expired, "presigned URL expired %ds after %s", p.expires, signedAt.Format(AmzDateFormat))
		}
		return nil
	}
	if t.After(signedAt.Add(skew)) {
		return reject(sigconform.Expired, "X-Amz-Date %s is more than 15 minutes old", signedAt.Format(AmzDateFormat))
	}
	return nil
}

// verifierPayload is the payload hash the server signs: the
// x-amz-content-sha256 header when sent (checked against the body when the
// body is there and the header is not UNSIGNED-PAYLOAD), else
// UNSIGNED-PAYLOAD when the context says so, else the hash of the body.
func verifierPayload(req sigconform.Request, ctx sigconform.Context) (string, *verdictErr) {
	if v, ok := headerValue(req.Headers, "X-Amz-Content-Sha256"); ok {
		v = strings.TrimSpace(v)
		if v != UnsignedPayload && req.Body != "" && v != HashHex(req.Body) {
			return "", reject(sigconform.BadSignature, "x-amz-content-sha256 does not match the body")
		}
		return v, nil
	}
	if ctx.UnsignedPayload {
		return UnsignedPayload, nil
	}
	return HashHex(req.Body), nil
}

// uncheckedPayload is the payload hash gofakes3 signs: UNSIGNED-PAYLOAD
// for a presigned URL, else X-Amz-Content-Sha256 as sent (never compared
// with the body), else the hash of the empty string, whatever the body.
func uncheckedPayload(req sigconform.Request, presigned bool) string {
	if presigned {
		return UnsignedPayload
	}
	if v, ok := headerValue(req.Headers, "X-Amz-Content-Sha256"); ok {
		return strings.TrimSpace(v)
	}
	return HashHex("")
}

// compareSignature accepts the lowercase hex HMAC; the right HMAC written
// otherwise (uppercase hex, Base64 in either alphabet) is WrongEncoding.
func compareSignature(got string, want []byte) sigconform.Verdict {
	if hmac.Equal([]byte(got), []byte(hex.EncodeToString(want))) {
		return sigconform.Accepted()
	}
	if b, err := hex.DecodeString(got); err == nil && hmac.Equal(b, want) {
		return sigconform.Rejected(sigconform.WrongEncoding, "signature is the right HMAC in uppercase or mixed-case hex")
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(got); err == nil && hmac.Equal(b, want) {
			return sigconform.Rejected(sigconform.WrongEncoding, "signature is the right HMAC in Base64, not hex")
		}
	}
	return sigconform.Rejected(sigconform.BadSignature, "signature does not match")
}

func hasQueryKey(q []queryPair, k string) bool {
	for _, p := range q {
		if p.key == k {
			return true
		}
	}
	return false
}

// dropKey leaves out the parameters whose decoded name is k.
func dropKey(q []queryPair, k string) []queryPair {
	out := make([]queryPair, 0, len(q))
	for _, p := range q {
		if dk, _ := p.decoded(); dk != k {
			out = append(out, p)
		}
	}
	return out
}

func containsName(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}
