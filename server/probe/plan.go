// Package probe is the client side of conform probe: from a scheme's
// embedded sign vectors it builds correct requests signed with the user's
// credentials and pointed at the one target the user names, tampers with
// them as the verify vectors do, and says, for each, what the reference
// verifier decides about the request as the server will receive it.
package probe

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/tamper"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/server"
	"github.com/sigconform/sigconform/vectors"
)

// Tamperings, in the order they are sent, with what each does. "valid" is
// the correct request itself.
var Tamperings = []struct{ Name, Title string }{
	{"valid", "as signed"},
	{"one-bit", "one bit of the signature flipped"},
	{"case-swapped", "the case of one signature letter changed"},
	{"urlsafe-base64", "the signature in URL-safe Base64, padding kept"},
	{"urlsafe-unpadded", "the signature in unpadded URL-safe Base64 (CloudStack 4.0/4.1 console form)"},
	{"unpadded", "the signature without its '=' padding"},
	{"other-secret", "signed with another secret key"},
	{"unknown-key", "signed with the secret under an access key the server does not know"},
	{"param-added", "a query parameter added after signing"},
	{"param-removed", "a signed query parameter removed"},
	{"expired", "signed an hour ago, or an hour past a presigned URL's expiry (for CloudStack, with signatureVersion=3 expiring half an hour ago)"},
	{"no-signature", "the signature removed"},
	{"no-key", "the access key removed"},
}

// TamperTitle returns the description of a tampering.
func TamperTitle(name string) string {
	for _, t := range Tamperings {
		if t.Name == name {
			return t.Title
		}
	}
	return name
}

// Config is what a probe plan is built from.
type Config struct {
	Scheme sigconform.Scheme
	// Target is the one server probed: only its scheme and host[:port]
	// are used; each request keeps its vector's path and query.
	Target      *url.URL
	Credentials sigconform.Credentials
	// Now is the clock requests are signed at; time.Now when nil.
	Now func() time.Time
	// PerTopic is how many correct requests to take from each vector
	// topic (0: the default, 3; negative: every sign vector of the topic);
	// the first of each topic is also tampered with.
	PerTopic int
	// TamperEach tampers with every correct request, not only the first
	// of each topic.
	TamperEach bool
	// PathPrefix, when set ("/bucket"), is put before each vector's path,
	// so that every request reaches a route of the server that checks
	// signatures (an S3 gateway answers a path whose first segment is not
	// a valid bucket name before it reads the signature).
	PathPrefix string
	// S3Region, when set (sigv4 only), signs every request as an S3 client
	// does for that region, and has the reference check it by S3's rules:
	// service "s3", the path neither normalized nor encoded a second time
	// (even where the vector asks for normalizing), the payload hash sent and signed
	// in X-Amz-Content-Sha256, and UNSIGNED-PAYLOAD in a presigned URL; a
	// POST gets an S3 sub-resource (s3PostSubresource). An S3 server
	// refuses anything else before it compares a signature.
	S3Region string
}

// CheckPathPrefix says what is wrong with a Config.PathPrefix.
func CheckPathPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if !strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/") || strings.ContainsAny(prefix, "?#% \t") {
		return fmt.Errorf("path prefix %q must start with '/', not end with one, and hold no '?', '#', '%%' or blank", prefix)
	}
	return nil
}

// Probe is one request to send and what the reference verifier decides
// about it as the server will receive it.
type Probe struct {
	Case    string             `json:"case"`
	Tamper  string             `json:"tamper"`
	Request sigconform.Request `json:"-"`
	// Want is the reference's verdict at signing time on the request as
	// net/http delivers it.
	Want sigconform.Verdict `json:"-"`
	// Variant is a known variant that decides otherwise than the
	// reference (a lenient verifier's match); Stage where it departs.
	Variant string `json:"-"`
}

// ID names the probe in reports.
func (p Probe) ID() string { return p.Case + "#" + p.Tamper }

// Skip is a vector that could not be made into a probe, and why.
type Skip struct {
	Case   string `json:"case"`
	Reason string `json:"reason"`
}

type planner struct {
	cfg    Config
	now    time.Time
	target *url.URL
}

// Plan builds the probes: the correct requests first (up to PerTopic per
// topic of the scheme's sign vectors), then, for the first correct request
// of each topic, its tampered copies; DELETE requests last.
func Plan(cfg Config) ([]Probe, []Skip, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PerTopic == 0 {
		cfg.PerTopic = 3
	}
	if err := CheckPathPrefix(cfg.PathPrefix); err != nil {
		return nil, nil, err
	}
	if cfg.S3Region != "" && cfg.Scheme.Name() != "sigv4" {
		return nil, nil, fmt.Errorf("the S3 profile is for sigv4, not %s", cfg.Scheme.Name())
	}
	set, err := vectors.Embedded()
	if err != nil {
		return nil, nil, err
	}
	p := &planner{cfg: cfg, now: cfg.Now().Truncate(time.Second), target: cfg.Target}
	name := cfg.Scheme.Name()
	var topics []string
	byTopic := map[string][]*vectors.Case{}
	for _, c := range set.Cases() {
		if c.Scheme() != name || c.Kind != vectors.Sign {
			continue
		}
		parts := strings.SplitN(c.ID, "/", 3)
		if len(parts) < 3 {
			continue
		}
		if _, ok := byTopic[parts[1]]; !ok {
			topics = append(topics, parts[1])
		}
		byTopic[parts[1]] = append(byTopic[parts[1]], c)
	}
	var valid, tampered []Probe
	var skips []Skip
	for _, topic := range topics {
		n := 0
		for _, c := range byTopic[topic] {
			if n == cfg.PerTopic {
				break
			}
			base, err := p.base(c)
			if err != nil {
				skips = append(skips, Skip{Case: c.ID, Reason: server.Scrub(err.Error(), cfg.Credentials.SecretKey)})
				continue
			}
			valid = append(valid, base.probe)
			if n == 0 || cfg.TamperEach {
				tampered = append(tampered, p.tamper(base)...)
			}
			n++
		}
	}
	// DELETE requests go last, so that a server whose state they change
	// (an S3 gateway deletes the object, then the bucket) answers every
	// other request as it was set up.
	all := append(valid, tampered...)
	isDelete := func(p Probe) bool { return strings.EqualFold(p.Request.Method, "DELETE") }
	return append(slices.DeleteFunc(slices.Clone(all), isDelete), slices.DeleteFunc(all, func(p Probe) bool { return !isDelete(p) })...), skips, nil
}

// base is a correct request and how it was made.
type base struct {
	in    sigconform.Input
	res   sigconform.Result
	probe Probe
}

func (p *planner) timeFor(t time.Time) string {
	if p.cfg.Scheme.Name() == "zstack" {
		// ZStack compares the Date's wall clock with the server's local
		// clock: sign in the local zone.
		return t.Local().Format(time.RFC3339)
	}
	return t.UTC().Format(time.RFC3339)
}

// prepare makes a sign vector's input a request for the target, signed
// with the user's credentials now.
func (p *planner) prepare(c *vectors.Case) (sigconform.Input, error) {
	in := c.Input()
	in.ID = c.ID
	in.Scheme = p.cfg.Scheme.Name()
	in.Credentials = sigconform.Credentials{AccessKey: p.cfg.Credentials.AccessKey, SecretKey: p.cfg.Credentials.SecretKey}
	req := in.Request
	u, err := Retarget(req.URL, p.target)
	if err != nil {
		return in, err
	}
	if p.cfg.PathPrefix != "" {
		origin := p.target.Scheme + "://" + p.target.Host
		u = origin + p.cfg.PathPrefix + strings.TrimPrefix(u, origin)
	}
	req.URL = u
	var hs []sigconform.Header
	for _, h := range req.Headers {
		switch strings.ToLower(h.Name) {
		case "host":
			hs = append(hs, sigconform.Header{Name: h.Name, Value: p.target.Host})
		case "x-amz-date", "date", "x-amz-security-token", "authorization":
			// the signer writes the date from the clock; no vector token
		default:
			hs = append(hs, h)
		}
	}
	req.Headers = hs
	in.Context.Time = p.timeFor(p.now)
	if p.cfg.S3Region != "" {
		s3Profile(&in.Context, p.cfg.S3Region)
		req.URL = s3PostSubresource(req.Method, req.URL, p.target.Scheme+"://"+p.target.Host+p.cfg.PathPrefix)
	}
	switch in.Scheme {
	case "cloudstack":
		req.URL = EditQuery(req.URL, func(ts []string) []string { return dropTokens(ts, true, "apikey", "signature") })
		expires := p.now.Add(15 * time.Minute).UTC().Format("2006-01-02T15:04:05-0700")
		if in.Context.Expires != "" {
			in.Context.Expires = expires
		}
		req.URL = EditQuery(req.URL, func(ts []string) []string { return setToken(ts, "expires", cloudstack.JavaURLEncode(expires)) })
	case "sigv4":
		// A presigned URL valid a second (sigv4/presign/expires-1) may
		// reach a slow server, or one on a busy machine, after it expired:
		// a correct request refused through no fault of the server. Like
		// CloudStack's expires above, give it 15 minutes.
		if in.Context.PresignExpires > 0 && in.Context.PresignExpires < 900 {
			in.Context.PresignExpires = 900
		}
	case "sigv2":
		if strings.EqualFold(req.Method, "POST") {
			return in, fmt.Errorf("a SigV2 form POST: the reference signer does not return the signed body")
		}
		req.URL = EditQuery(req.URL, func(ts []string) []string {
			return dropTokens(ts, false, "Signature", "AWSAccessKeyId", "Timestamp", "Expires", "SecurityToken")
		})
	}
	in.Request = req
	return in, nil
}

// s3Profile makes ctx an S3 client's: see Config.S3Region.
func s3Profile(ctx *sigconform.Context, region string) {
	ctx.Service, ctx.Region = "s3", region
	no := false
	ctx.NormalizePath = &no
	if ctx.PresignExpires > 0 {
		ctx.UnsignedPayload, ctx.SignBody = true, false
	} else {
		ctx.SignBody = true
	}
}

// minPresign is the shortest validity a presigned probe may have: one
// valid for less may expire between signing and the server's check, so
// that its verdict would depend on the machine's load.
const minPresign = 60

// s3PostSubresource gives a POST the S3 sub-resource that routes it to an
// operation whose server checks its signature: S3 has no plain POST but
// the browser form upload to a bucket, which reads a policy document, not
// a SigV4 signature. A POST to an object (a path beyond base) gets
// "uploads" (CreateMultipartUpload), one to the bucket "delete"
// (DeleteObjects), unless its query names one already.
func s3PostSubresource(method, raw, base string) string {
	if !strings.EqualFold(method, "POST") {
		return raw
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(raw, base), "?")
	sub := "delete"
	if strings.Trim(path, "/") != "" {
		sub = "uploads"
	}
	return EditQuery(raw, func(ts []string) []string {
		for _, t := range ts {
			switch n, _, _ := strings.Cut(t, "="); n {
			case "uploads", "delete", "uploadId", "restore", "select":
				return ts
			}
		}
		return append(slices.Clone(ts), sub)
	})
}

func (p *planner) base(c *vectors.Case) (base, error) {
	in, err := p.prepare(c)
	if err != nil {
		return base{}, err
	}
	if e := in.Context.PresignExpires; e > 0 && e < minPresign {
		return base{}, fmt.Errorf("a presigned URL valid %d s may expire before the server checks it", e)
	}
	for _, h := range in.Request.Headers {
		if strings.ContainsFunc(h.Value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return base{}, fmt.Errorf("net/http does not send a header value holding a line break or control byte (%s)", h.Name)
		}
	}
	res, err := p.cfg.Scheme.Sign(in, "")
	if err != nil {
		return base{}, fmt.Errorf("the reference cannot sign it for the target: %v", err)
	}
	pr, err := p.probe(c.ID, "valid", in.Context, res.Apply(in.Request))
	if err != nil {
		return base{}, err
	}
	if !pr.Want.Accept {
		return base{}, fmt.Errorf("re-signed for the target, the reference refuses it as received (%s: %s)", pr.Want.Reason, pr.Want.Detail)
	}
	return base{in: in, res: res, probe: pr}, nil
}

// probe checks req as the server will receive it, by the rules of ctx
// (the vector's, but for its time).
func (p *planner) probe(id, tamper string, ctx sigconform.Context, req sigconform.Request) (Probe, error) {
	rt, err := RoundTrip(req, p.target.Scheme)
	if err != nil {
		return Probe{}, fmt.Errorf("net/http cannot send it as it is: %v", err)
	}
	c := server.Checker{Scheme: p.cfg.Scheme, Credentials: p.cfg.Credentials, Lenient: true, Context: ctx}
	d := c.Check(rt, p.timeFor(p.now))
	pr := Probe{Case: id, Tamper: tamper, Request: req, Want: d.Reference}
	if !d.Reference.Accept {
		pr.Variant = d.Variant
	} else {
		// A known verifier that refuses what the reference accepts.
		in := sigconform.Input{Scheme: p.cfg.Scheme.Name(), Credentials: p.cfg.Credentials, Request: rt, Context: ctx}
		in.Context.Time = p.timeFor(p.now)
		if vs := sigconform.IdentifyVerify(p.cfg.Scheme, in, sigconform.Verdict{}); len(vs) > 0 {
			pr.Variant = vs[0].Name
		}
	}
	return pr, nil
}

// tamper makes the tampered copies of b.
func (p *planner) tamper(b base) []Probe {
	id := b.probe.Case
	sent := b.res.Apply(b.in.Request)
	v := tamper.Valid{Name: id, In: b.in, Result: b.res, Sent: sent}
	sig := b.res.Signature
	var out []Probe
	add := func(tamper string, req sigconform.Request) {
		pr, err := p.probe(id, tamper, b.in.Context, req)
		if err == nil {
			out = append(out, pr)
		}
	}
	resign := func(edit func(*sigconform.Input)) (sigconform.Input, sigconform.Result, bool) {
		in := b.in
		in.Request.Headers = slices.Clone(in.Request.Headers)
		edit(&in)
		res, err := p.cfg.Scheme.Sign(in, "")
		return in, res, err == nil
	}
	if flipped, err := tamper.FlipBit(sig); err == nil {
		add("one-bit", v.WithSignature(flipped).Request)
	}
	add("case-swapped", v.WithSignature(tamper.SwapCase(sig)).Request)
	if !tamper.IsHex(sig) {
		safe, changed := tamper.URLSafe(sig)
		if changed {
			add("urlsafe-base64", v.WithSignature(safe).Request)
		}
		if unpaddedSafe, _ := tamper.Unpadded(safe); unpaddedSafe != sig {
			add("urlsafe-unpadded", v.WithSignature(unpaddedSafe).Request)
		}
		if unpadded, changed := tamper.Unpadded(sig); changed {
			add("unpadded", v.WithSignature(unpadded).Request)
		}
	}
	if _, res, ok := resign(func(in *sigconform.Input) { in.Credentials.SecretKey += "-other" }); ok {
		add("other-secret", v.WithSignature(res.Signature).Request)
	}
	if in, res, ok := resign(func(in *sigconform.Input) { in.Credentials.AccessKey = "SIGCONFORMPROBEUNKNOWNKEY" }); ok {
		add("unknown-key", res.Apply(in.Request))
	}
	added := sent
	added.URL = EditQuery(sent.URL, func(ts []string) []string { return append(ts, "sigconformprobe=1") })
	add("param-added", added)
	if removed, ok := p.removeParam(sent); ok {
		add("param-removed", removed)
	}
	if in, res, ok := resign(p.expire); ok {
		add("expired", res.Apply(in.Request))
	}
	if req, ok := p.strip(sent, true); ok {
		add("no-signature", req)
	}
	if req, ok := p.strip(sent, false); ok {
		add("no-key", req)
	}
	return out
}

// expire moves the signing clock an hour back (and, for a presigned URL,
// its validity further: an hour past its expiry, never at the edge, where
// the probe and the server would read the clock a moment apart); a
// CloudStack request, which has no time unless signatureVersion=3, gets an
// expires half an hour ago.
func (p *planner) expire(in *sigconform.Input) {
	back := time.Hour + time.Duration(in.Context.PresignExpires)*time.Second
	then := p.now.Add(-back)
	in.Context.Time = p.timeFor(then)
	if in.Scheme != "cloudstack" {
		return
	}
	expires := p.now.Add(-30 * time.Minute).UTC().Format("2006-01-02T15:04:05-0700")
	inURL := false
	in.Request.URL = EditQuery(in.Request.URL, func(ts []string) []string {
		for _, t := range ts {
			if n, _, _ := strings.Cut(t, "="); strings.EqualFold(n, "expires") {
				inURL = true
			}
		}
		return setToken(ts, "expires", cloudstack.JavaURLEncode(expires))
	})
	if !inURL {
		in.Context.SignatureVersion, in.Context.Expires = "3", expires
	}
}

// protected are the parameters param-removed leaves alone: the ones that
// carry the signature, the key or the time.
var protected = map[string][]string{
	"cloudstack": {"signature", "apikey", "command", "signatureversion", "expires"},
	"sigv2":      {"signature", "awsaccesskeyid", "signatureversion", "signaturemethod", "timestamp", "expires", "securitytoken"},
	"sigv4":      {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token"},
}

func (p *planner) removeParam(req sigconform.Request) (sigconform.Request, bool) {
	keep := protected[p.cfg.Scheme.Name()]
	done := false
	req.URL = EditQuery(req.URL, func(ts []string) []string {
		for i, t := range ts {
			n, _, _ := strings.Cut(t, "=")
			if n == "" || slices.Contains(keep, strings.ToLower(n)) {
				continue
			}
			done = true
			return slices.Delete(slices.Clone(ts), i, i+1)
		}
		return ts
	})
	return req, done
}

// strip removes the signature (sig) or the access key from req, wherever
// the scheme carries it.
func (p *planner) strip(req sigconform.Request, sig bool) (sigconform.Request, bool) {
	req.Headers = slices.Clone(req.Headers)
	switch p.cfg.Scheme.Name() {
	case "cloudstack":
		name := "apikey"
		if sig {
			name = "signature"
		}
		req.URL = EditQuery(req.URL, func(ts []string) []string { return dropTokens(ts, true, name) })
		return req, true
	case "sigv2":
		name := "AWSAccessKeyId"
		if sig {
			name = "Signature"
		}
		req.URL = EditQuery(req.URL, func(ts []string) []string { return dropTokens(ts, false, name) })
		return req, true
	case "sigv4":
		if auth, ok := req.Header("Authorization"); ok {
			if sig {
				req.Headers = tamper.DeleteHeader(req.Headers, "Authorization")
				return req, true
			}
			alg, rest, _ := strings.Cut(auth, " ")
			var parts []string
			for _, part := range strings.Split(rest, ",") {
				if !strings.HasPrefix(strings.TrimSpace(part), "Credential=") {
					parts = append(parts, strings.TrimSpace(part))
				}
			}
			req.Headers = tamper.SetHeader(req.Headers, "Authorization", alg+" "+strings.Join(parts, ", "))
			return req, true
		}
		name := "X-Amz-Credential"
		if sig {
			name = "X-Amz-Signature"
		}
		req.URL = EditQuery(req.URL, func(ts []string) []string { return dropTokens(ts, false, name) })
		return req, true
	case "zstack":
		auth, ok := req.Header("Authorization")
		if !ok {
			return req, false
		}
		if sig {
			req.Headers = tamper.DeleteHeader(req.Headers, "Authorization")
			return req, true
		}
		typ, keyPart, _ := strings.Cut(auth, " ")
		_, s, _ := strings.Cut(keyPart, ":")
		req.Headers = tamper.SetHeader(req.Headers, "Authorization", typ+" :"+s)
		return req, true
	}
	return req, false
}

// Retarget points raw at target: its scheme and host[:port] replace the
// URL's, its path and query are kept exactly as written.
func Retarget(raw string, target *url.URL) (string, error) {
	if strings.HasPrefix(raw, "/") {
		return target.Scheme + "://" + target.Host + raw, nil
	}
	i := strings.Index(raw, "://")
	if i < 0 {
		return "", fmt.Errorf("URL %q is neither absolute nor a path", raw)
	}
	rest := raw[i+3:]
	j := strings.IndexAny(rest, "/?")
	switch {
	case j < 0:
		rest = "/"
	case rest[j] == '?':
		rest = "/" + rest[j:]
	default:
		rest = rest[j:]
	}
	return target.Scheme + "://" + target.Host + rest, nil
}

// EditQuery edits the query of a raw URL token by token ("&"-separated,
// as written).
func EditQuery(raw string, edit func([]string) []string) string {
	base, q, had := strings.Cut(raw, "?")
	var ts []string
	if had && q != "" {
		ts = strings.Split(q, "&")
	}
	ts = edit(ts)
	if len(ts) == 0 {
		return base
	}
	return base + "?" + strings.Join(ts, "&")
}

// dropTokens removes the tokens named one of names (fold: without regard
// to case).
func dropTokens(ts []string, fold bool, names ...string) []string {
	return slices.DeleteFunc(slices.Clone(ts), func(t string) bool {
		n, _, _ := strings.Cut(t, "=")
		for _, name := range names {
			if n == name || fold && strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	})
}

// setToken gives an existing token named name (any case) the raw value.
func setToken(ts []string, name, value string) []string {
	out := slices.Clone(ts)
	for i, t := range out {
		n, _, _ := strings.Cut(t, "=")
		if strings.EqualFold(n, name) {
			out[i] = n + "=" + value
		}
	}
	return out
}

// RoundTrip is req as a Go server receives it from a Go client: written
// by net/http's client code, read by its server code, and rebuilt by
// server.FromHTTP.
func RoundTrip(req sigconform.Request, scheme string) (sigconform.Request, error) {
	hr, err := server.ToHTTP(req)
	if err != nil {
		return sigconform.Request{}, err
	}
	var buf bytes.Buffer
	if err := hr.Write(&buf); err != nil {
		return sigconform.Request{}, err
	}
	rr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		return sigconform.Request{}, err
	}
	body, err := io.ReadAll(rr.Body)
	if err != nil {
		return sigconform.Request{}, err
	}
	return server.FromHTTP(rr, body, scheme), nil
}
