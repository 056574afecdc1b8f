package sigv4

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
)

// Sign signs in as a SigV4 client following variant's rules would.
func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	return sign(in, r)
}

// normalizeFor reads Context.NormalizePath (default true).
func normalizeFor(c sigconform.Context) bool {
	return c.NormalizePath == nil || *c.NormalizePath
}

// neverSigned are headers AWS's signers leave out of SignedHeaders because
// proxies rewrite them (botocore SIGNED_HEADERS_BLACKLIST; aws-c-auth
// s_skipped_headers), plus the Authorization header itself.
var neverSigned = []string{"authorization", "expect", "user-agent", "x-amzn-trace-id"}

// unsigned lists the headers a signer following r leaves out.
func (r rules) unsigned() []string {
	switch {
	case r.allHeadersSigned, r.hostAndAmzOnly:
		// boto 2 signs x-amzn-trace-id: its name starts with x-amz.
		return []string{"authorization"}
	case r.expectSigned:
		return slices.DeleteFunc(slices.Clone(neverSigned), func(n string) bool { return n == "expect" })
	case r.rangeUnsigned:
		return append(slices.Clone(neverSigned), "range")
	}
	return neverSigned
}

// payloadHash is what the canonical request ends with: an
// x-amz-content-sha256 header the client set wins (the server reads it),
// then UNSIGNED-PAYLOAD when asked, else the SHA-256 of the body. A
// presigned request hashes its (usually empty) body too unless
// UNSIGNED-PAYLOAD is asked for: aws-c-auth's query-signing vectors end in
// e3b0c442..., the empty-body hash; S3's presigned URLs use
// UNSIGNED-PAYLOAD (Context.UnsignedPayload).
func payloadHash(req sigconform.Request, c sigconform.Context) string {
	if v, ok := headerValue(req.Headers, "X-Amz-Content-Sha256"); ok {
		return strings.TrimSpace(v)
	}
	if c.UnsignedPayload {
		return UnsignedPayload
	}
	return HashHex(req.Body)
}

// payloadHashFor is payloadHash as the rules choose it:
// payload-always-body-hash hashes the body whatever the request says;
// libcloud hashes the body of a POST or PUT that has one, signs
// UNSIGNED-PAYLOAD for one without and the empty hash for other methods.
func payloadHashFor(req sigconform.Request, c sigconform.Context, r rules) string {
	switch {
	case r.payloadBody:
		return HashHex(req.Body)
	case r.payloadByMethod:
		m := strings.ToUpper(req.Method)
		switch {
		case c.UnsignedPayload:
			return UnsignedPayload
		case m != "POST" && m != "PUT":
			return HashHex("")
		case req.Body == "":
			return UnsignedPayload
		}
		return HashHex(req.Body)
	}
	return payloadHash(req, c)
}

// variantBody is the request with the body the variant's client sends and
// hashes: boto 2 sends a POST's URL query (names sorted, URI-encoded) as
// its body; botocore empties a presigned request's body, whose fields it
// moved into the query.
func variantBody(req sigconform.Request, r rules, query []queryPair, presign bool) sigconform.Request {
	if r.postQueryInBody && !presign && strings.EqualFold(req.Method, "POST") && len(query) > 0 {
		req.Body = canonicalPairs(query, rules{sortDecoded: true})
	}
	if r.presignBodyQuery && presign {
		req.Body = ""
	}
	return req
}

// sign signs in as a client following r does: it works out the date, the
// headers it adds and the query (newSigning, addHeaders, presignQuery),
// builds the canonical request and writes the result.
func sign(in sigconform.Input, r rules) (sigconform.Result, error) {
	s, err := newSigning(in, r)
	if err != nil {
		return sigconform.Result{}, err
	}
	req, ctx := in.Request, in.Context
	query := parseQueryFor(s.u.rawQuery, s.r)
	var bodyParams []queryPair
	if s.r.presignBodyQuery && s.presign && req.Body != "" {
		bodyParams = bodyAsParams(req.Body)
	}
	payload := s.addHeaders(query)
	signed := signableNames(s.headers, s.presign, s.r)
	if s.r.tokenUnsigned && s.tokenHeader {
		signed = slices.DeleteFunc(signed, func(n string) bool { return n == "x-amz-security-token" })
	}
	var presignParams []queryPair
	if s.presign {
		presignParams = s.presignParams(signed)
		query = append(append(query, bodyParams...), presignParams...)
	}

	ci := canonicalInput{
		method: req.Method, u: s.u, headers: s.headers, signed: signed, query: query,
		payload: payload, normalize: normalizeFor(ctx), r: s.r,
	}
	if isFormPost(req) {
		ci.formBody = req.Body
	}
	creq, signedHeaders, err := ci.build()
	if err != nil {
		return sigconform.Result{}, badInput("%v", err)
	}
	sts := StringToSign(s.amzDate, s.scope, creq)
	sig := Signature(SigningKey(in.Credentials.SecretKey, s.amzDate[:8], ctx.Region, ctx.Service), sts)

	res := sigconform.Result{
		Stages: []sigconform.Stage{
			{Name: StageCanonicalRequest, Value: creq},
			{Name: StageStringToSign, Value: sts},
		},
		Signature: sig,
		URL:       s.sentURL(ci.normalize),
	}
	if s.presign {
		if token := in.Credentials.SessionToken; token != "" && s.r.tokenUnsigned {
			presignParams = append(presignParams, queryPair{key: "X-Amz-Security-Token", value: token})
		}
		presignParams = append(presignParams, queryPair{key: "X-Amz-Signature", value: sig})
		res.URL = appendQuery(res.URL, append(bodyParams, presignParams...))
	} else {
		s.added = append(s.added, sigconform.Header{Name: "Authorization",
			Value: AuthorizationHeader(in.Credentials.AccessKey, s.scope, signedHeaders, sig)})
	}
	res.Headers = s.added
	return res, nil
}

// signing is a request being signed: what sign works out before it builds
// the canonical request.
type signing struct {
	in          sigconform.Input
	r           rules
	u           parsedURL
	presign     bool
	amzDate     string
	hasDate     bool // the request carries X-Amz-Date
	scope       string
	headers     []sigconform.Header // the request's, and those the signer adds
	added       []sigconform.Header // the added ones the result reports
	tokenHeader bool                // X-Amz-Security-Token added as a header
}

// newSigning checks in and works out the date and scope sign signs with.
func newSigning(in sigconform.Input, r rules) (*signing, error) {
	req, ctx := in.Request, in.Context
	if ctx.OmitSessionToken {
		// aws-c-auth's omit_session_token: the token is sent, not signed.
		r.tokenUnsigned = true
	}
	if req.Method == "" {
		return nil, badInput("request has no method")
	}
	u, err := splitURL(req.URL)
	if err != nil {
		return nil, badInput("%v", err)
	}
	if ctx.Region == "" || ctx.Service == "" {
		return nil, badInput("context.region and context.service are required")
	}
	if in.Credentials.AccessKey == "" || in.Credentials.SecretKey == "" {
		return nil, badInput("credentials need access_key and secret_key")
	}
	if ctx.PresignExpires > MaxPresignExpires {
		return nil, badInput("presign_expires %d is over %d", ctx.PresignExpires, MaxPresignExpires)
	}
	s := &signing{in: in, r: r, u: u, presign: ctx.PresignExpires > 0}
	// Room for what addHeaders may add, so that it does not copy them again.
	s.headers = append(make([]sigconform.Header, 0, len(req.Headers)+maxAdded), req.Headers...)
	if err := s.date(); err != nil {
		return nil, err
	}
	s.scope = Scope(s.amzDate[:8], ctx.Region, ctx.Service)
	return s, nil
}

// date sets the date: an X-Amz-Date header already on the request is what
// the server will read, so it is signed as it is; else Context.Time.
func (s *signing) date() error {
	amzDate, hasDate := headerValue(s.in.Request.Headers, "X-Amz-Date")
	amzDate = strings.TrimSpace(amzDate)
	if t := s.in.Context.Time; !hasDate || s.presign {
		if t == "" {
			if !hasDate {
				return badInput("context.time is required when the request has no X-Amz-Date")
			}
		} else {
			var err error
			if amzDate, err = AmzDate(t); err != nil {
				return badInput("%v", err)
			}
		}
	}
	if _, err := parseAmzDate(amzDate); err != nil {
		return badInput("X-Amz-Date %q is not YYYYMMDDTHHMMSSZ", amzDate)
	}
	s.amzDate, s.hasDate = amzDate, hasDate
	return nil
}

// maxAdded is how many headers addHeaders adds at most: Host, X-Amz-Date,
// X-Amz-Security-Token, Content-Type, Content-Length and
// X-Amz-Content-Sha256.
const maxAdded = 6

// add adds a header to those signed and, when result is set, to those the
// result reports.
func (s *signing) add(name, value string, result bool) {
	s.headers = append(s.headers, sigconform.Header{Name: name, Value: value})
	if result {
		s.added = append(s.added, sigconform.Header{Name: name, Value: value})
	}
}

// addHeaders adds the headers the signer sets, in its order, and returns
// the payload hash (query is the request's, for the body boto 2 sends).
func (s *signing) addHeaders(query []queryPair) (payload string) {
	req, r := s.in.Request, s.r
	if _, ok := headerValue(s.headers, "Host"); !ok {
		// HTTP clients send Host themselves; it is signed, not reported.
		s.add("Host", s.u.hostHeader(), false)
	}
	dateName, shaName := "X-Amz-Date", "X-Amz-Content-Sha256"
	if r.amzNamesUpper {
		dateName, shaName = "X-AMZ-Date", "X-AMZ-Content-SHA256"
	}
	if !s.presign && !s.hasDate {
		s.add(dateName, s.amzDate, true)
	}
	if token := s.in.Credentials.SessionToken; token != "" && !s.presign {
		if _, ok := headerValue(s.headers, "X-Amz-Security-Token"); !ok {
			s.add("X-Amz-Security-Token", token, true)
			s.tokenHeader = true
		}
	}
	if r.bodyHeaders && req.Body != "" {
		if _, ok := headerValue(s.headers, "Content-Type"); !ok {
			s.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8", true)
		}
		if _, ok := headerValue(s.headers, "Content-Length"); !ok {
			s.add("Content-Length", strconv.Itoa(len(req.Body)), true)
		}
	}
	payload = payloadHashFor(variantBody(req, r, query, s.presign), s.in.Context, r)
	// sign_body adds the header to header signing only: a presigned URL
	// signs the body's hash as its payload but no x-amz-content-sha256
	// header (aws-c-auth's suite since ace1311, 2021: aws_signing.c adds
	// the header for AWS_ST_HTTP_REQUEST_HEADERS only).
	if (s.in.Context.SignBody && !s.presign) || r.contentSha256 {
		if _, ok := headerValue(s.headers, "X-Amz-Content-Sha256"); !ok {
			s.add(shaName, payload, true)
		}
	}
	return payload
}

// presignParams are the X-Amz-* parameters a presigned URL signs, in
// aws-c-auth's order.
func (s *signing) presignParams(signed []string) []queryPair {
	ps := []queryPair{
		{key: "X-Amz-Algorithm", value: Algorithm},
		{key: "X-Amz-Credential", value: s.in.Credentials.AccessKey + "/" + s.scope},
		{key: "X-Amz-Date", value: s.amzDate},
		{key: "X-Amz-SignedHeaders", value: strings.Join(signed, ";")},
		{key: "X-Amz-Expires", value: strconv.Itoa(s.in.Context.PresignExpires)},
	}
	if token := s.in.Credentials.SessionToken; token != "" && !s.r.tokenUnsigned {
		ps = append(ps, queryPair{key: "X-Amz-Security-Token", value: token})
	}
	return ps
}

// sentURL is the URL the client sends: as given, but that aws4 sends the
// path it signed, escaped.
func (s *signing) sentURL(normalize bool) string {
	raw := s.in.Request.URL
	if s.r.path != pathEscapedFirst || !normalize {
		return raw
	}
	rest := ""
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		rest = raw[i:]
	}
	return s.u.scheme + "://" + s.u.authority + escapeUnsafePath(s.u.path) + rest
}

// signableNames lists the lowercased names of the headers to sign, sorted
// and without repeats. A presigned URL signs the headers the request
// carries too (aws-c-auth query-canonical-request.txt files sign host and
// my-header1...), but not an X-Amz-Date header: the date travels in the
// query.
//
// The rules change the choice: host-and-amz-headers-only keeps Host and
// x-amz*, presign-date-header-signed keeps X-Amz-Date when presigning, and
// r.unsigned says which headers are never signed.
func signableNames(hs []sigconform.Header, presign bool, r rules) []string {
	names := make([]string, 0, len(hs))
	unsigned := r.unsigned()
	for _, h := range hs {
		n := strings.ToLower(strings.TrimSpace(h.Name))
		if slices.Contains(unsigned, n) || slices.Contains(names, n) {
			continue
		}
		if r.hostAndAmzOnly && n != "host" && !strings.HasPrefix(n, "x-amz") {
			continue
		}
		if presign && ((n == "x-amz-date" && !r.presignDateSigned) || n == "x-amz-security-token") {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// appendQuery adds the presign parameters to the URL, URI-encoded, in the
// order given (aws-c-auth's order), before any fragment.
func appendQuery(raw string, params []queryPair) string {
	frag := ""
	if i := strings.Index(raw, "#"); i >= 0 {
		raw, frag = raw[:i], raw[i:]
	}
	var b strings.Builder
	b.WriteString(raw)
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
		if strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "&") {
			sep = ""
		}
	}
	for _, p := range params {
		b.WriteString(sep + URIEncode(p.key, false) + "=" + URIEncode(p.value, false))
		sep = "&"
	}
	return b.String() + frag
}

// bodyAsParams lists the parameters botocore's _get_body_as_dict finds in
// a body: the fields of a JSON object (what a JSON protocol serializer
// writes), else the form parameters (a query protocol request's data is
// the dict of its form parameters).
func bodyAsParams(body string) []queryPair {
	if p, err := jsonParams(body); err == nil {
		return p
	}
	return formDecode(body)
}

// jsonParams reads a JSON object body as botocore's _get_body_as_dict does
// and lists its fields, by name, as the query parameters
// percent_encode_sequence writes: a string as it is, a number as written,
// true, false and null as Python's str() writes True, False and None.
func jsonParams(body string) ([]queryPair, error) {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object: %v", err)
	}
	var out []queryPair
	for _, k := range slices.Sorted(maps.Keys(m)) {
		var v string
		switch x := m[k].(type) {
		case string:
			v = x
		case json.Number:
			v = x.String()
		case bool:
			v = map[bool]string{true: "True", false: "False"}[x]
		case nil:
			v = "None"
		default:
			return nil, fmt.Errorf("field %q is not a scalar", k)
		}
		out = append(out, queryPair{key: k, value: v})
	}
	return out, nil
}
