package sigv4

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
)

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

func sign(in sigconform.Input, r rules) (sigconform.Result, error) {
	req, ctx := in.Request, in.Context
	if req.Method == "" {
		return sigconform.Result{}, badInput("request has no method")
	}
	u, err := splitURL(req.URL)
	if err != nil {
		return sigconform.Result{}, badInput("%v", err)
	}
	if ctx.Region == "" || ctx.Service == "" {
		return sigconform.Result{}, badInput("context.region and context.service are required")
	}
	if in.Credentials.AccessKey == "" || in.Credentials.SecretKey == "" {
		return sigconform.Result{}, badInput("credentials need access_key and secret_key")
	}
	presign := ctx.PresignExpires > 0
	if ctx.PresignExpires > MaxPresignExpires {
		return sigconform.Result{}, badInput("presign_expires %d is over %d", ctx.PresignExpires, MaxPresignExpires)
	}

	// The date: an X-Amz-Date header already on the request is what the
	// server will read, so it is signed as it is; else Context.Time.
	amzDate, hasDate := headerValue(req.Headers, "X-Amz-Date")
	amzDate = strings.TrimSpace(amzDate)
	if !hasDate || presign {
		if ctx.Time == "" {
			if !hasDate {
				return sigconform.Result{}, badInput("context.time is required when the request has no X-Amz-Date")
			}
		} else if amzDate, err = AmzDate(ctx.Time); err != nil {
			return sigconform.Result{}, badInput("%v", err)
		}
	}
	if _, err := parseAmzDate(amzDate); err != nil {
		return sigconform.Result{}, badInput("X-Amz-Date %q is not YYYYMMDDTHHMMSSZ", amzDate)
	}
	scope := Scope(amzDate[:8], ctx.Region, ctx.Service)

	headers := slices.Clone(req.Headers)
	var added []sigconform.Header
	add := func(name, value string, result bool) {
		headers = append(headers, sigconform.Header{Name: name, Value: value})
		if result {
			added = append(added, sigconform.Header{Name: name, Value: value})
		}
	}
	if _, ok := headerValue(headers, "Host"); !ok {
		// HTTP clients send Host themselves; it is signed, not reported.
		add("Host", u.hostHeader(), false)
	}
	if !presign && !hasDate {
		add("X-Amz-Date", amzDate, true)
	}
	token := in.Credentials.SessionToken
	tokenHeader := false
	if token != "" && !presign {
		if _, ok := headerValue(headers, "X-Amz-Security-Token"); !ok {
			add("X-Amz-Security-Token", token, true)
			tokenHeader = true
		}
	}
	payload := payloadHash(req, ctx)
	if ctx.SignBody {
		if _, ok := headerValue(headers, "X-Amz-Content-Sha256"); !ok {
			add("X-Amz-Content-Sha256", payload, true)
		}
	}

	signed := signableNames(headers, presign)
	if r.tokenUnsigned && tokenHeader {
		signed = slices.DeleteFunc(signed, func(n string) bool { return n == "x-amz-security-token" })
	}

	query := parseQuery(u.rawQuery)
	var presignParams []queryPair
	if presign {
		presignParams = []queryPair{
			{"X-Amz-Algorithm", Algorithm},
			{"X-Amz-Credential", in.Credentials.AccessKey + "/" + scope},
			{"X-Amz-Date", amzDate},
			{"X-Amz-SignedHeaders", strings.Join(signed, ";")},
			{"X-Amz-Expires", strconv.Itoa(ctx.PresignExpires)},
		}
		if token != "" && !r.tokenUnsigned {
			presignParams = append(presignParams, queryPair{"X-Amz-Security-Token", token})
		}
		query = append(query, presignParams...)
	}

	ci := canonicalInput{
		method: req.Method, u: u, headers: headers, signed: signed, query: query,
		payload: payload, normalize: normalizeFor(ctx), r: r,
	}
	if isFormPost(req) {
		ci.formBody = req.Body
	}
	creq, signedHeaders, err := ci.build()
	if err != nil {
		return sigconform.Result{}, badInput("%v", err)
	}
	sts := StringToSign(amzDate, scope, creq)
	sig := Signature(SigningKey(in.Credentials.SecretKey, amzDate[:8], ctx.Region, ctx.Service), sts)

	res := sigconform.Result{
		Stages: []sigconform.Stage{
			{Name: StageCanonicalRequest, Value: creq},
			{Name: StageStringToSign, Value: sts},
		},
		Signature: sig,
		URL:       req.URL,
	}
	if presign {
		if token != "" && r.tokenUnsigned {
			presignParams = append(presignParams, queryPair{"X-Amz-Security-Token", token})
		}
		presignParams = append(presignParams, queryPair{"X-Amz-Signature", sig})
		res.URL = appendQuery(req.URL, presignParams)
	} else {
		added = append(added, sigconform.Header{Name: "Authorization",
			Value: AuthorizationHeader(in.Credentials.AccessKey, scope, signedHeaders, sig)})
	}
	res.Headers = added
	return res, nil
}

// signableNames lists the lowercased names of the headers to sign, sorted
// and without repeats. A presigned URL signs the headers the request
// carries too (aws-c-auth query-canonical-request.txt files sign host and
// my-header1...), but not an X-Amz-Date header: the date travels in the
// query.
func signableNames(hs []sigconform.Header, presign bool) []string {
	var names []string
	for _, h := range hs {
		n := strings.ToLower(strings.TrimSpace(h.Name))
		if slices.Contains(neverSigned, n) || slices.Contains(names, n) {
			continue
		}
		if presign && (n == "x-amz-date" || n == "x-amz-security-token") {
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
