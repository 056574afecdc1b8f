package generators

// ZStack AccessKey vectors. The reference (scheme/zstack) signs
// Method "\n" Date "\n" URI, where URI is the request path without the
// /zstack servlet context path, percent-decoded, and without the query; the
// Date is signed exactly as written and checked within 15 minutes of the
// server's clock, whose time zone is Context.Time's offset.

import (
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/internal/tamper"
	"github.com/sigconform/sigconform/scheme/zstack"
	"github.com/sigconform/sigconform/vectors"
)

func init() { register("zstack", zstackFiles) }

// Fixed, obviously fake test material. The doc key pair is the one the
// ZStack developer guide publishes (vectors/zstack/published.yaml).
const (
	zstackHost        = "http://zstack.example.test:8080"
	zstackAccessKey   = "SIGCONFORMTESTKEY0001"
	zstackSecretKey   = "sigconform-test-secret/+="
	zstackOtherSecret = "sigconform-other-secret"
	zstackOtherKey    = "SIGCONFORMOTHERKEY002"
	zstackDocHost     = "http://172.20.11.134:8080"
	zstackDocKey      = "vvSZpmj4cnB53qUDmm6E"
	zstackDocSecret   = "8heumeFTvIeZxkTGfEYvVi9qVVPd9ffQNDALSPPb"

	// zstackTime and zstackDate are the same instant: the signing time of
	// most cases, and the Date header they send (a Tuesday).
	zstackTime = "2024-01-02T03:04:05Z"
	zstackDate = "Tue, 02 Jan 2024 03:04:05 GMT"

	zstackVMUUID = "4b3a4f5e2c1d4e0f9a8b7c6d5e4f3a2b"
)

func zstackFiles() ([]*vectors.File, error) {
	var out []*vectors.File
	for _, gen := range []func() (*vectors.File, error){
		zstackPathFile, zstackQueryFile, zstackMethodsFile, zstackDateFile, zstackVerifyFile,
	} {
		f, err := gen()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// zstackInput is a request with the test key pair, sent with the fixed Date
// header; Context.Time is the same instant, for signers that want a clock.
func zstackInput(method, url string, headers ...sigconform.Header) sigconform.Input {
	hs := append([]sigconform.Header{{Name: "Date", Value: zstackDate}}, headers...)
	return sigconform.Input{
		Credentials: sigconform.Credentials{AccessKey: zstackAccessKey, SecretKey: zstackSecretKey},
		Request:     sigconform.Request{Method: method, URL: url, Headers: hs},
		Context:     sigconform.Context{Time: zstackTime},
	}
}

// zstackTags joins a class with an edge's tags into a fresh slice.
func zstackTags(first []string, more ...[]string) []string {
	out := append([]string(nil), first...)
	for _, m := range more {
		out = append(out, m...)
	}
	return out
}

// lowerFirst lowers the first letter of s, to continue a sentence with it.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

const zstackPathNote = "The value is percent-encoded (RFC 3986 strict) as the last path segment. The server signs the " +
	"path percent-decoded (Spring UriUtils.decode: '+' stays '+'), with the /zstack context path removed, so " +
	"the string to sign holds the raw value."

// zstackPathFile pins the signed URI: decoding, the context path, and what
// is not part of it.
func zstackPathFile() (*vectors.File, error) {
	b := NewBuilder("zstack", "path",
		"The URI ZStack signs: the request path without /zstack, percent-decoded, for every value edge "+
			"placed in a path segment, raw sub-delimiters, encoded slashes, UTF-8 and the context path. "+
			"In the value-edge cases (those with no notes of their own) "+lowerFirst(zstackPathNote))
	base := zstackHost + "/zstack/v1/vm-instances/"
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "Last path segment of GET /zstack/v1/vm-instances/...: " + e.Title + ", percent-encoded",
			Tags:  zstackTags([]string{"path"}, e.Tags),
			Input: zstackInput("GET", base+percent.Escape(e.Value)),
		})
	}
	// Characters a path may hold unencoded: decoded or not, the server
	// signs them as they are.
	for _, c := range []byte("!$&'()*+,;=:@") {
		b.Sign(SignSpec{
			Name:  fmt.Sprintf("raw-char-%02x", c),
			Title: fmt.Sprintf("A path segment holding %s sent raw, not percent-encoded", charName(c)),
			Tags:  []string{"path", "encoding", "ascii"},
			Notes: "The character is deliberately sent raw (RFC 3986 allows it in a path segment); the signature " +
				"equals that of the percent-encoded form, since the server signs the decoded path. A '+' is not a space in a path.",
			Input: zstackInput("GET", base+"a"+string(c)+"b"),
		})
	}
	extras := []struct{ name, title, url, notes string }{
		{"encoded-slash-in-segment", "A %2F inside one path segment is signed as a '/'",
			base + "a%2Fb", "The server decodes the whole path before signing: a%2Fb and a/b sign the same URI /v1/vm-instances/a/b."},
		{"literal-slash", "Two segments a/b, signed the same as the single segment a%2Fb",
			base + "a/b", "Same string to sign as encoded-slash-in-segment."},
		{"lowercase-escapes", "Escapes in lowercase hex (%c3%a9, %2f) decode like capitals",
			base + "caf%c3%a9%2fx", "UriUtils.decode accepts either case of hex digit."},
		{"encoded-unreserved", "Unreserved characters sent percent-encoded (%41%42%7E) are decoded before signing",
			base + "%41%42%7E", "A signer that signs the path as written instead of decoded gets another signature."},
		{"encoded-space-and-raw-plus", "A %20 and a raw '+' in one segment: only the %20 becomes a space",
			base + "a%20b+c", "Path decoding is not form decoding: '+' stays '+'."},
		{"invalid-utf8-byte", "An escape that is not UTF-8 (%FF) is signed as U+FFFD",
			base + "a%FFb", "UriUtils.decode builds a UTF-8 String from the decoded bytes; Java's decoder replaces the " +
				"invalid byte with U+FFFD, which is then signed as its UTF-8 bytes EF BF BD."},
		{"utf8-raw-escapes-mixed", "A path mixing escaped UTF-8 and ASCII in several segments",
			zstackHost + "/zstack/v1/images/%E9%95%9C%E5%83%8F/caf%C3%A9", ""},
		{"trailing-slash", "A trailing slash is part of the signed URI",
			zstackHost + "/zstack/v1/zones/", "/v1/zones/ and /v1/zones sign differently."},
		{"no-context-path", "A server deployed at the root: the path has no /zstack to remove",
			zstackHost + "/v1/vm-instances", "Same string to sign as a request to /zstack/v1/vm-instances."},
		{"path-only-url", "The request given as a path without scheme and host",
			"/zstack/v1/vm-instances", "The host is not signed; the reference accepts a bare path."},
		{"context-path-lookalike", "A first segment that only starts with zstack (/zstackx) is not the context path",
			zstackHost + "/zstackx/v1/zones", "The context path is removed as a whole segment only."},
		{"context-path-twice", "/zstack/zstack/v1/...: only the first /zstack is the context path",
			zstackHost + "/zstack/zstack/v1/vm-instances", "Signs /zstack/v1/vm-instances."},
		{"https-default-port", "An https URL without a port: scheme, host and port are not signed",
			"https://zstack.example.test/zstack/v1/vm-instances", ""},
		{"doc-host", "The documentation's host and port, with a UUID path",
			zstackDocHost + "/zstack/v1/vm-instances/" + zstackVMUUID, ""},
		{"fragment-dropped", "A fragment is never sent and never signed",
			zstackHost + "/zstack/v1/vm-instances#frag", ""},
	}
	for _, x := range extras {
		b.Sign(SignSpec{
			Name: x.name, Title: x.title, Tags: []string{"path", "encoding"}, Notes: x.notes,
			Input: zstackInput("GET", x.url),
		})
	}
	return b.File()
}

const zstackQueryNote = "The server signs HttpServletRequest.getRequestURI(), which never holds the query string: the " +
	"signature is that of the same request without a query. Clients that sign the query (variant " +
	"with-query-string, zstackio/zstack#1308) are refused with 403 'wrong accessKey signature'."

// zstackQueryFile pins that the query is not signed, for every value edge
// and a set of key edges; the with-query-string variant shows what a
// client that signs it produces.
func zstackQueryFile() (*vectors.File, error) {
	b := NewBuilder("zstack", "query",
		"URIs with query strings: the reference signs none of the query; each case records what a client "+
			"that signs the query as sent (with-query-string) produces instead. "+zstackQueryNote+
			" A query value is percent-encoded (RFC 3986 strict) after q=name=, ZStack's query condition syntax.")
	base := zstackHost + "/zstack/v1/vm-instances?"
	for _, e := range ValueEdges() {
		b.Sign(SignSpec{
			Name:  e.Name,
			Title: "Query value in GET /zstack/v1/vm-instances?q=name=...: " + e.Title + ", percent-encoded, not signed",
			Tags:  zstackTags([]string{"params", "query"}, e.Tags),
			Input: zstackInput("GET", base+"q=name="+percent.Escape(e.Value)),
		})
	}
	keyEdges := map[string]bool{
		"char-20": true, "char-25": true, "char-26": true, "char-2a": true, "char-2b": true, "char-2f": true,
		"char-3d": true, "char-5b": true, "char-7e": true, "utf8-2-byte": true, "utf8-3-byte": true,
		"utf8-4-byte": true, "uppercase-value": true,
	}
	for _, e := range ValueEdges() { // the list's order, not the map's
		if !keyEdges[e.Name] {
			continue
		}
		b.Sign(SignSpec{
			Name:  "key-" + e.Name,
			Title: "A query parameter name " + strings.TrimPrefix(e.Title, "a value ") + ", percent-encoded",
			Tags:  zstackTags([]string{"params", "query"}, e.Tags),
			Input: zstackInput("GET", base+percent.Escape(e.Value)+"=1"),
		})
	}
	var many []string
	for i := range 50 {
		many = append(many, fmt.Sprintf("p%02d=v%02d", i, i))
	}
	extras := []struct{ name, title, query string }{
		{"empty-query", "A '?' with nothing after it", ""},
		{"param-without-value", "A parameter with no '=' (?replyWithCount)", "replyWithCount"},
		{"param-with-empty-value", "A parameter with '=' and an empty value", "replyWithCount="},
		{"repeated-keys", "Two q conditions with the same key, in sent order", "q=name=b&q=name=a"},
		{"keys-differing-in-case", "Keys that differ only in case", "Limit=1&limit=2"},
		{"unsorted-params", "Parameters out of alphabetical order", "start=10&limit=5&count=false"},
		{"sorted-params", "The same parameters in alphabetical order, signed the same as unsorted-params", "count=false&limit=5&start=10"},
		{"many-params", "Fifty parameters", strings.Join(many, "&")},
		{"condition-operators", "ZStack query conditions with operators (q=memorySize>=1024, q=name~=vm%25)", "q=memorySize%3E%3D1024&q=name~%3Dvm%25"},
		{"raw-plus-and-space-escape", "A raw '+' and a %20 in the query", "q=name=a+b%20c"},
		{"encoded-question-mark", "A %3F in the query", "q=name=a%3Fb"},
		{"sort-and-fields", "ZStack's sortBy, sortDirection and fields parameters", "sortBy=createDate&sortDirection=desc&fields=uuid,name"},
	}
	for _, x := range extras {
		b.Sign(SignSpec{
			Name: x.name, Title: x.title, Tags: []string{"params", "query"},
			Input: zstackInput("GET", base+x.query),
		})
	}
	b.Sign(SignSpec{
		Name:  "encoded-path-and-query",
		Title: "A percent-encoded path with a query: the path is decoded and signed, the query is not",
		Tags:  []string{"params", "query", "path", "encoding"},
		Notes: "with-query-string appends the query as sent, undecoded, to the decoded path.",
		Input: zstackInput("GET", zstackHost+"/zstack/v1/vm-instances/a%20b?limit=1&q=name=c%20d"),
	})
	b.Sign(SignSpec{
		Name:  "query-and-fragment",
		Title: "A query followed by a fragment: neither is signed",
		Tags:  []string{"params", "query"},
		Notes: "The fragment is never sent.",
		Input: zstackInput("GET", base+"limit=1#frag"),
	})
	return b.File()
}

// zstackMethodsFile pins the method line and that bodies and other headers
// are not signed.
func zstackMethodsFile() (*vectors.File, error) {
	b := NewBuilder("zstack", "methods",
		"GET, POST, PUT and DELETE on ZStack's REST paths; the body and headers other than Date are not signed.")
	json := sigconform.Header{Name: "Content-Type", Value: "application/json;charset=UTF-8"}
	vm := zstackHost + "/zstack/v1/vm-instances"
	one := vm + "/" + zstackVMUUID
	cases := []struct {
		name, title, method, url string
		headers                  []sigconform.Header
		body                     string
		tags                     []string
		notes                    string
	}{
		{"get-list", "GET the VM list", "GET", vm, nil, "", nil, ""},
		{"get-one", "GET one VM by UUID", "GET", one, nil, "", nil, ""},
		{"post-create", "POST a JSON body creating a VM: the body is not signed", "POST", vm, []sigconform.Header{json},
			`{"params":{"name":"vm-1","instanceOfferingUuid":"9f1c2d3e4b5a69788796a5b4c3d2e1f0","imageUuid":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}}`,
			[]string{"post"}, "Only method, Date and URI are signed; a signer must not hash the body."},
		{"post-empty-body", "POST with an empty body", "POST", zstackHost + "/zstack/v1/accounts/login", []sigconform.Header{json}, "",
			[]string{"post"}, ""},
		{"post-form-content-type", "POST with the documentation's Content-Type application/x-www-form-urlencoded",
			"POST", vm, []sigconform.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
			"params=%7B%22name%22%3A%22vm-1%22%7D", []string{"post"}, "The form body is not signed and its parameters are not part of the URI."},
		{"put-action", "PUT an action (startVmInstance) on one VM", "PUT", one + "/actions", []sigconform.Header{json},
			`{"startVmInstance":{}}`, nil, ""},
		{"put-update", "PUT an update of one VM", "PUT", one, []sigconform.Header{json},
			`{"updateVmInstance":{"name":"vm-2"}}`, nil, ""},
		{"delete-one", "DELETE one VM", "DELETE", one, nil, "", nil, ""},
		{"delete-with-delete-mode", "DELETE with ?deleteMode=Permissive: the query is not signed", "DELETE",
			one + "?deleteMode=Permissive", nil, "", []string{"params"}, zstackQueryNote},
		{"lowercase-method", "A method in lowercase (get) is signed as received",
			"get", vm, nil, "", nil, "The server signs req.getMethod() as received; HTTP methods are case-sensitive, so " +
				"a signer must not upper-case it (a server would then see 'get' and answer 405 or sign 'get')."},
		{"extra-headers-unsigned", "Content-Type, X-Job-UUID and other headers are not signed", "POST", vm,
			[]sigconform.Header{json, {Name: "X-Job-UUID", Value: "5c6d7e8f90a1b2c3d4e5f60718293a4b"}, {Name: "X-Web-Hook", Value: "http://hook.example.test/cb"}},
			`{"params":{"name":"vm-1"}}`, []string{"post", "headers"}, "Only the Date header is signed."},
		{"doc-key-get", "GET with the documentation's published key pair at the fixed time", "GET",
			zstackDocHost + "/zstack/v1/vm-instances", nil, "", nil, "The key pair is the ZStack developer guide's example."},
	}
	for _, c := range cases {
		in := zstackInput(c.method, c.url, c.headers...)
		in.Request.Body = c.body
		if c.name == "doc-key-get" {
			in.Credentials = sigconform.Credentials{AccessKey: zstackDocKey, SecretKey: zstackDocSecret}
		}
		b.Sign(SignSpec{
			Name: c.name, Title: c.title, Tags: zstackTags([]string{"methods"}, c.tags), Notes: c.notes, Input: in,
		})
	}
	return b.File()
}

// zstackDateInput is a signed GET with the given Date header.
func zstackDateInput(date, clock string) sigconform.Input {
	in := zstackInput("GET", zstackHost+"/zstack/v1/vm-instances")
	in.Request.Headers = []sigconform.Header{{Name: "Date", Value: date}}
	in.Context.Time = clock
	return in
}

const zstackCheckTZDispute = "ZStack servers with rest.checkTimeZone=true (variant check-time-zone) compare instants, " +
	"the Date's zone applied, and decide otherwise than the default (false), which compares wall clocks."

// zstackDateFile pins that the Date is signed as written, how the signer
// writes one from Context.Time, and which Dates the server's clock accepts
// with and without rest.checkTimeZone.
func zstackDateFile() (*vectors.File, error) {
	b := NewBuilder("zstack", "date",
		"The Date header: signed exactly as written in any zone (GMT, UTC, PRC, CST, offsets, zone ids); "+
			"written from context.time when absent; and checked against the server clock, whose zone is "+
			"context.time's offset, comparing wall clocks (default) or instants (check-time-zone).")
	signDates := []struct{ name, title, date, clock string }{
		{"gmt", "Date in GMT, the RFC 1123 form", zstackDate, zstackTime},
		{"utc", "Date labelled UTC", "Tue, 02 Jan 2024 03:04:05 UTC", zstackTime},
		{"ut", "Date labelled UT", "Tue, 02 Jan 2024 03:04:05 UT", zstackTime},
		{"prc", "Date in China local time labelled PRC, as the documentation writes it", "Tue, 02 Jan 2024 11:04:05 PRC", "2024-01-02T11:04:05+08:00"},
		{"cst", "Date in China local time labelled CST, as the Python SDK and Go clients write it", "Tue, 02 Jan 2024 11:04:05 CST", "2024-01-02T11:04:05+08:00"},
		{"gmt-plus-0800", "Date with GMT+08:00", "Tue, 02 Jan 2024 11:04:05 GMT+08:00", "2024-01-02T11:04:05+08:00"},
		{"utc-minus-0530", "Date with UTC-05:30", "Mon, 01 Jan 2024 21:34:05 UTC-05:30", "2024-01-01T21:34:05-05:30"},
		{"offset-plus-0800", "Date with a bare numeric offset +08:00", "Tue, 02 Jan 2024 11:04:05 +08:00", "2024-01-02T11:04:05+08:00"},
		{"offset-minus-0500", "Date with a bare numeric offset -05:00, on the previous day", "Mon, 01 Jan 2024 22:04:05 -05:00", "2024-01-01T22:04:05-05:00"},
		{"offset-plus-0000-rfc1123z", "Date with +0000 (Go's time.RFC1123Z), signed as written", "Tue, 02 Jan 2024 03:04:05 +0000", zstackTime},
		{"zone-id-asia-shanghai", "Date with the zone id Asia/Shanghai", "Tue, 02 Jan 2024 11:04:05 Asia/Shanghai", "2024-01-02T11:04:05+08:00"},
		{"lowercase-names", "Date with day, month and zone in lowercase: signed as written, not normalized", "tue, 02 jan 2024 11:04:05 prc", "2024-01-02T11:04:05+08:00"},
	}
	for _, d := range signDates {
		notes := "The Date header is signed exactly as sent; a signer must not reformat it."
		if d.name == "offset-plus-0000-rfc1123z" {
			notes += " Whether the server's java.time pattern 'z' parses +0000 (no colon) is not confirmed; this case pins only signing."
		}
		b.Sign(SignSpec{
			Name: "sign-" + d.name, Title: d.title, Tags: []string{"date", "timezone"}, Notes: notes,
			Input: zstackDateInput(d.date, d.clock),
		})
	}
	// Without a Date header the signer writes Context.Time in its own
	// offset, labelled GMT or GMT+hh:mm, and sends that Date.
	clocks := []struct{ name, title, clock string }{
		{"utc", "context.time in UTC (Z) gives a GMT Date", zstackTime},
		{"plus-0000", "context.time with +00:00 gives a GMT Date", "2024-01-02T03:04:05+00:00"},
		{"plus-0800", "context.time in +08:00 gives a GMT+08:00 Date in China local time", "2024-01-02T11:04:05+08:00"},
		{"minus-0500", "context.time in -05:00 gives a GMT-05:00 Date on the previous day", "2024-01-01T22:04:05-05:00"},
		{"plus-0530", "context.time in +05:30", "2024-01-02T08:34:05+05:30"},
		{"plus-0545", "context.time in +05:45", "2024-01-02T08:49:05+05:45"},
		{"plus-1400", "context.time in +14:00, the largest offset in use", "2024-01-02T17:04:05+14:00"},
		{"minus-1200", "context.time in -12:00", "2024-01-01T15:04:05-12:00"},
		{"fraction", "context.time with a fraction of a second: the Date has whole seconds", "2024-01-02T03:04:05.999Z"},
		{"leap-day", "context.time on 29 February", "2024-02-29T12:00:00Z"},
	}
	for _, c := range clocks {
		in := zstackDateInput("", c.clock)
		in.Request.Headers = nil
		b.Sign(SignSpec{
			Name: "context-time-" + c.name, Title: "No Date header: " + c.title, Tags: []string{"date", "timezone"},
			Notes: "The request has no Date header; the signer writes context.time as 'EEE, dd MMM yyyy HH:mm:ss' " +
				"in its own offset followed by GMT or GMT+hh:mm (a form both server settings accept), signs it and " +
				"returns it as the Date header.",
			Input: in,
		})
	}
	if err := zstackDateVerify(b); err != nil {
		return nil, err
	}
	return b.File()
}

// zstackDateVerify adds verify cases pairing Dates in several zones with
// server clocks in several zones.
func zstackDateVerify(b *Builder) error {
	accept := sigconform.Accepted()
	expired := sigconform.Rejected(sigconform.Expired, "")
	malformed := sigconform.Rejected(sigconform.Malformed, "")
	cases := []struct {
		name, title, date, clock string
		want                     sigconform.Verdict
		disputed                 bool
		notes                    string
	}{
		{"gmt-server-utc", "GMT Date, server in UTC at the same instant", zstackDate, zstackTime, accept, false, ""},
		{"gmt-server-plus-0800-same-instant", "GMT Date, server in +08:00 at the same instant: wall clocks 8 h apart",
			zstackDate, "2024-01-02T11:04:05+08:00", expired, true,
			"The default server compares 03:04:05 with its wall clock 11:04:05."},
		{"gmt-server-plus-0800-same-wall", "GMT Date holding the +08:00 server's wall clock: accepted by default, 8 h off as an instant",
			"Tue, 02 Jan 2024 11:04:05 GMT", "2024-01-02T11:04:05+08:00", accept, true, ""},
		{"prc-server-plus-0800", "PRC Date, server in China at the same instant", "Tue, 02 Jan 2024 11:04:05 PRC", "2024-01-02T11:04:05+08:00", accept, false, ""},
		{"prc-server-utc-same-instant", "PRC Date, server in UTC at the same instant: rejected by default",
			"Tue, 02 Jan 2024 11:04:05 PRC", zstackTime, expired, true,
			"The documentation's PRC Dates work only on a server whose local zone is China's."},
		{"prc-server-utc-same-wall", "PRC Date holding a UTC server's wall clock: accepted by default, 8 h off as an instant",
			"Tue, 02 Jan 2024 03:04:05 PRC", zstackTime, accept, true, ""},
		{"cst-server-plus-0800", "CST Date in China local time, server in China: CST is US Central to java.time",
			"Tue, 02 Jan 2024 11:04:05 CST", "2024-01-02T11:04:05+08:00", accept, true,
			"The Python SDK and Go clients (Asia/Shanghai formatted with MST) write China time as CST; with " +
				"Locale.ENGLISH java.time resolves CST to America/Chicago (-06:00 in January), so a server that " +
				"checks zones sees the Date 14 hours late."},
		{"cst-server-minus-0600", "CST Date in US Central time, server in -06:00 at the same instant",
			"Mon, 01 Jan 2024 21:04:05 CST", "2024-01-01T21:04:05-06:00", accept, false, ""},
		{"gmt-plus-0800-server-utc", "GMT+08:00 Date, server in UTC at the same instant",
			"Tue, 02 Jan 2024 11:04:05 GMT+08:00", zstackTime, expired, true, ""},
		{"gmt-plus-0800-server-plus-0800", "GMT+08:00 Date, server in +08:00 at the same instant",
			"Tue, 02 Jan 2024 11:04:05 GMT+08:00", "2024-01-02T11:04:05+08:00", accept, false, ""},
		{"offset-minus-0500-server-utc", "Date with -05:00, server in UTC at the same instant",
			"Mon, 01 Jan 2024 22:04:05 -05:00", zstackTime, expired, true, ""},
		{"zone-id-server-utc", "Asia/Shanghai Date, server in UTC at the same instant",
			"Tue, 02 Jan 2024 11:04:05 Asia/Shanghai", zstackTime, expired, true, ""},
		{"utc-date-server-minus-0500-within-window", "UTC Date 10 minutes ahead of a -05:00 server, as an instant",
			"Tue, 02 Jan 2024 03:14:05 UTC", "2024-01-01T22:04:05-05:00", expired, true, ""},
		{"prc-ten-minutes-late", "PRC Date 10 minutes behind a China server's clock: inside the window",
			"Tue, 02 Jan 2024 10:54:05 PRC", "2024-01-02T11:04:05+08:00", accept, false, ""},
		{"lowercase-names", "Day, month and zone in lowercase parse (case-insensitive)",
			"tue, 02 jan 2024 11:04:05 prc", "2024-01-02T11:04:05+08:00", accept, false, ""},
		{"day-clamped-31-feb", "31 Feb 2024 is resolved to 29 Feb (java.time SMART resolver)",
			"Thu, 31 Feb 2024 03:04:05 GMT", "2024-02-29T03:04:05Z", accept, false,
			"DateTimeFormatter's default SMART resolver clamps a day past the month's end; 29 Feb 2024 is a Thursday."},
		{"wrong-weekday", "A day of week that does not match the date is refused",
			"Wed, 02 Jan 2024 03:04:05 GMT", zstackTime, malformed, false, "Server: 400 'Date' format error."},
		{"single-digit-day", "A one-digit day (2 Jan) does not match dd",
			"Tue, 2 Jan 2024 03:04:05 GMT", zstackTime, malformed, false, "Server: 400 'Date' format error."},
		{"rfc3339", "An RFC 3339 date is not the server's format",
			"2024-01-02T03:04:05Z", zstackTime, malformed, false, "Server: 400 'Date' format error."},
		{"no-zone", "A Date without a zone is refused",
			"Tue, 02 Jan 2024 03:04:05", zstackTime, malformed, false, "Server: 400 'Date' format error."},
	}
	for _, c := range cases {
		v, err := tamper.NewValid(b.Scheme(), c.name, c.title, zstackDateInput(c.date, c.clock))
		if err != nil {
			return err
		}
		sp := VerifySpec{
			Name: "verify-" + c.name, Title: c.title, Tags: []string{"date", "timezone", "expiry"},
			Want: c.want, Notes: strings.TrimSpace("The request is signed correctly; only the Date against the server clock is in question. " +
				"The server's zone is context.time's offset. " + c.notes),
			Input: v.Input(),
		}
		if c.disputed {
			sp.Disputed = zstackCheckTZDispute
		}
		b.Verify(sp)
	}
	return nil
}

// zstackBase is a request the verify cases tamper with.
type zstackBase struct {
	name, title string
	tags        []string
	in          sigconform.Input
	// addParam and removeParam are the URL with a query parameter added
	// and removed after signing; removeParam is empty without a query.
	addParam, removeParam string
	// newPath is another path for the path-changed case.
	newPath string
	// full adds the cases that depend on the server rather than the
	// request (window limits, context path, Authorization type) to this
	// base; the others get only the common tampers.
	full bool
}

func zstackBases() []zstackBase {
	json := sigconform.Header{Name: "Content-Type", Value: "application/json;charset=UTF-8"}
	get := zstackInput("GET", zstackHost+"/zstack/v1/vm-instances")
	get.Request.Headers = nil // the signer writes the Date from context.time

	query := zstackInput("GET", zstackHost+"/zstack/v1/vm-instances?q=name=vm-1&limit=10")
	query.Request.Headers = []sigconform.Header{{Name: "Date", Value: "Tue, 02 Jan 2024 11:04:05 PRC"}}
	query.Context.Time = "2024-01-02T11:04:05+08:00"

	post := zstackInput("POST", zstackHost+"/zstack/v1/vm-instances", json)
	post.Request.Headers = []sigconform.Header{json}
	post.Request.Body = `{"params":{"name":"vm-1"}}`
	post.Context.Time = "2024-01-02T11:04:05+08:00"

	del := zstackInput("DELETE", zstackHost+"/zstack/v1/images/caf%C3%A9%20%E2%82%AC?deleteMode=Permissive")
	del.Request.Headers = []sigconform.Header{{Name: "Date", Value: "Tue, 02 Jan 2024 03:04:05 UTC"}}

	put := zstackInput("PUT", zstackDocHost+"/zstack/v1/vm-instances/"+zstackVMUUID+"/actions", json)
	put.Request.Headers = []sigconform.Header{json}
	put.Request.Body = `{"stopVmInstance":{"type":"grace"}}`
	put.Credentials = sigconform.Credentials{AccessKey: zstackDocKey, SecretKey: zstackDocSecret}
	put.Context.Time = "2024-01-01T22:04:05-05:00"

	return []zstackBase{
		{"get-list", "GET /zstack/v1/vm-instances with the Date the signer wrote (GMT)", []string{"methods"}, get,
			get.Request.URL + "?limit=1", "", zstackHost + "/zstack/v1/zones", true},
		{"get-with-query", "GET with a query (q=name=vm-1&limit=10), Date in PRC, server in China", []string{"params", "query"}, query,
			query.Request.URL + "&start=5", zstackHost + "/zstack/v1/vm-instances?q=name=vm-1",
			zstackHost + "/zstack/v1/vm-instances/vm-1?q=name=vm-1&limit=10", true},
		{"post-json", "POST with a JSON body, Date written by the signer in +08:00", []string{"post", "methods"}, post,
			post.Request.URL + "?dryRun=true", "", zstackHost + "/zstack/v1/images", false},
		{"delete-encoded-path", "DELETE of a UTF-8, percent-encoded path with ?deleteMode, Date in UTC",
			[]string{"path", "encoding", "utf8", "methods"}, del,
			del.Request.URL + "&force=true", zstackHost + "/zstack/v1/images/caf%C3%A9%20%E2%82%AC",
			zstackHost + "/zstack/v1/images/cafe%20%E2%82%AC?deleteMode=Permissive", false},
		{"put-doc-key", "PUT an action with the documentation's key pair, Date written by the signer in -05:00",
			[]string{"methods"}, put,
			put.Request.URL + "?systemTags=x", "", zstackDocHost + "/zstack/v1/vm-instances/" + zstackVMUUID, false},
	}
}

// zstackShift is the verifier's input with its clock moved by d, keeping
// the clock's offset (the server's zone); tamper.Valid.At would move it to UTC.
func zstackShift(v tamper.Valid, d time.Duration) (sigconform.Input, error) {
	in := v.Input()
	t, err := time.Parse(time.RFC3339, in.Context.Time)
	if err != nil {
		return in, fmt.Errorf("%s: context.time: %w", v.Name, err)
	}
	in.Context.Time = t.Add(d).Format(time.RFC3339)
	return in, nil
}

// zstackWithHeader is the input with header name set to value, or removed
// when value is empty.
func zstackWithHeader(in sigconform.Input, name, value string) sigconform.Input {
	if value == "" {
		in.Request.Headers = tamper.DeleteHeader(in.Request.Headers, name)
		return in
	}
	in.Request.Headers = tamper.SetHeader(append([]sigconform.Header(nil), in.Request.Headers...), name, value)
	return in
}

func zstackVerifyFile() (*vectors.File, error) {
	b := NewBuilder("zstack", "verify",
		"Verifier cases: signed requests as the server receives them, valid and tampered. The query and the "+
			"body are not signed, so adding or removing a query parameter or changing the body is accepted.")
	for _, base := range zstackBases() {
		if err := zstackVerifyBase(b, base); err != nil {
			return nil, err
		}
	}
	return b.File()
}

// zstackVerifyBase writes base's verify cases, in groups.
func zstackVerifyBase(b *Builder, base zstackBase) error {
	v, err := tamper.NewValid(b.Scheme(), base.name, base.title, base.in)
	if err != nil {
		return err
	}
	c := &zstackVerifying{b: b, s: b.Scheme(), base: base, v: v}
	return inTurn(c.signatures, c.request, c.date, c.auth)
}

// zstackVerifying is one base's verify cases being written.
type zstackVerifying struct {
	b    *Builder
	s    sigconform.Scheme
	base zstackBase
	v    tamper.Valid
}

func (c *zstackVerifying) add(tamper, title string, want sigconform.Verdict, in sigconform.Input, notes string) {
	name := c.base.name + "-" + tamper
	t := zstackTags([]string{"tamper"}, c.base.tags)
	if tamper == "valid" {
		name, tamper, t = c.base.name+"-valid", "", zstackTags([]string{"valid"}, c.base.tags)
	}
	c.b.Verify(VerifySpec{
		Name: name, Title: c.base.title + ": " + title, Tags: t, Tamper: tamper, Want: want, Notes: notes, Input: in,
	})
}

// signatures: the request as signed, its signature tampered with or written in
// another Base64, and signed with another secret.
func (c *zstackVerifying) signatures() error {
	accept := sigconform.Accepted()
	reject := rejected
	sig := c.v.Result.Signature
	c.add("valid", "the request as signed is accepted", accept, c.v.Input(), "")

	flipped, err := tamper.FlipBit(sig)
	if err != nil {
		return err
	}
	c.add("one-bit", "one bit of the signature flipped", reject(sigconform.BadSignature), c.v.WithSignature(flipped), "")
	c.add("case-swapped", "the first letter of the Base64 signature in the other case", reject(sigconform.BadSignature),
		c.v.WithSignature(tamper.SwapCase(sig)), "In Base64 a letter's case is part of the value: another MAC, not another spelling.")
	if u, ok := tamper.URLSafe(sig); ok {
		c.add("urlsafe-base64", "the right HMAC in URL-safe Base64", reject(sigconform.WrongEncoding), c.v.WithSignature(u),
			"The server compares with String.equals against padded standard Base64 (403 wrong accessKey signature).")
	}
	if u, ok := tamper.Unpadded(sig); ok {
		c.add("unpadded", "the right HMAC in Base64 without its '=' padding", reject(sigconform.WrongEncoding), c.v.WithSignature(u),
			"The server compares with String.equals against padded standard Base64 (403 wrong accessKey signature).")
	}
	other := c.v.In
	other.Credentials.SecretKey = zstackOtherSecret
	ores, err := c.s.Sign(other, "")
	if err != nil {
		return err
	}
	c.add("other-secret", "signed with another secret", reject(sigconform.BadSignature), c.v.WithSignature(ores.Signature), "")
	return nil
}

// request: the query, body, method and path changed after signing: only the
// method and path are signed.
func (c *zstackVerifying) request() error {
	accept := sigconform.Accepted()
	reject := rejected
	in := c.v.Input()
	in.Request.URL = c.base.addParam
	c.add("param-added", "a query parameter added after signing is accepted", accept, in,
		"ACCEPTED: ZStack does not sign the query (getRequestURI has none), so a parameter added in transit "+
			"goes unnoticed. This is the server's behaviour, not a verifier bug to fix in an implementation under test.")
	if c.base.removeParam != "" {
		in := c.v.Input()
		in.Request.URL = c.base.removeParam
		c.add("param-removed", "a query parameter removed after signing is accepted", accept, in,
			"ACCEPTED: the query is not signed.")
	}
	if c.base.in.Request.Body != "" {
		in := c.v.Input()
		in.Request.Body = `{"params":{"name":"tampered"}}`
		c.add("body-changed", "the body changed after signing is accepted", accept, in,
			"ACCEPTED: ZStack does not sign the body.")
	}
	in = c.v.Input()
	in.Request.Method = map[string]string{"GET": "DELETE", "POST": "PUT", "PUT": "POST", "DELETE": "GET"}[in.Request.Method]
	c.add("method-changed", "the method changed after signing", reject(sigconform.BadSignature), in, "")
	in = c.v.Input()
	in.Request.URL = c.base.newPath
	c.add("path-changed", "the path changed after signing", reject(sigconform.BadSignature), in, "")
	if c.base.full {
		in := c.v.Input()
		in.Request.URL = strings.Replace(in.Request.URL, "/zstack/v1/", "/v1/", 1)
		c.add("context-path-dropped", "sent to a server deployed at the root (no /zstack): same signed URI", accept, in,
			"The context path is not signed: /zstack/v1/... on a server under /zstack and /v1/... on one at the root sign the same URI.")
	}
	return nil
}

// date: the Date changed, and the clock around the 15-minute window.
func (c *zstackVerifying) date() error {
	accept := sigconform.Accepted()
	reject := rejected
	date, _ := c.v.Sent.Header("Date")
	in := zstackWithHeader(c.v.Input(), "Date", zstackOtherDate(date))
	c.add("date-changed", "the Date header changed by one second after signing", reject(sigconform.BadSignature), in,
		"The Date is signed: the new Date is within the window, so only the signature fails.")

	for _, w := range []struct {
		tamper, title string
		d             time.Duration
		want          sigconform.Verdict
	}{
		{"expired", "checked one hour after the Date", time.Hour, reject(sigconform.Expired)},
		{"future", "checked one hour before the Date", -time.Hour, reject(sigconform.Expired)},
		{"window-end", "checked 15 minutes after the Date: still accepted", 15 * time.Minute, accept},
		{"window-end-plus-1s", "checked 15 minutes and 1 second after the Date", 15*time.Minute + time.Second, reject(sigconform.Expired)},
		{"window-start", "checked 15 minutes before the Date: still accepted", -15 * time.Minute, accept},
		{"window-start-minus-1s", "checked 15 minutes and 1 second before the Date", -15*time.Minute - time.Second, reject(sigconform.Expired)},
	} {
		if strings.HasPrefix(w.tamper, "window-") && !c.base.full {
			continue
		}
		in, err := zstackShift(c.v, w.d)
		if err != nil {
			return err
		}
		c.add(w.tamper, w.title, w.want, in,
			"The server accepts a Date within 15 minutes of its clock, both limits included; the clock keeps the server's zone.")
	}
	return nil
}

// auth: the Authorization or Date header missing, another key, the type
// misspelt, and the signing variants' signatures.
func (c *zstackVerifying) auth() error {
	reject := rejected
	sig := c.v.Result.Signature
	c.add("no-signature", "the Authorization header removed", reject(sigconform.MissingParameter),
		zstackWithHeader(c.v.Input(), "Authorization", ""), "Server: 400 missing header 'Authorization'.")
	c.add("no-key", "the access key id left out (ZStack :<sig>)", reject(sigconform.UnknownKey),
		zstackWithHeader(c.v.Input(), "Authorization", "ZStack :"+sig),
		"':<sig>' still splits into two parts, so the server looks up the empty key id: 403 access key id:  does not existed or disabled.")
	c.add("no-date", "the Date header removed", reject(sigconform.MissingParameter),
		zstackWithHeader(c.v.Input(), "Date", ""), "Server: 400 'Date' must be incuded in request header.")
	c.add("unknown-key", "another access key id with the same signature", reject(sigconform.UnknownKey),
		zstackWithHeader(c.v.Input(), "Authorization", zstack.Authorization(zstackOtherKey, sig)), "")
	if c.base.full {
		c.add("auth-prefix-case", "the Authorization type written 'Zstack ' instead of 'ZStack '", reject(sigconform.Malformed),
			zstackWithHeader(c.v.Input(), "Authorization", "Zstack "+c.v.In.Credentials.AccessKey+":"+sig),
			"The server tests startsWith(\"ZStack\"), case-sensitive: 400 Authorization type must be 'OAuth'.")
	}

	for _, variant := range []string{zstack.WithContextPrefix, zstack.WithQueryString} {
		vr, err := c.s.Sign(c.v.In, variant)
		if err != nil {
			return err
		}
		if vr.Signature == sig {
			continue // the variant signs this request like the reference
		}
		tamper := map[string]string{zstack.WithContextPrefix: "context-prefix-signed", zstack.WithQueryString: "query-signed"}[variant]
		c.add(tamper, "signed the way the "+variant+" variant signs", reject(sigconform.BadSignature), c.v.WithSignature(vr.Signature),
			"A client of variant "+variant+" sends this; the server answers 403 wrong accessKey signature.")
	}
	return nil
}

// zstackOtherDate is date one second later, same layout and zone.
func zstackOtherDate(date string) string {
	d, err := zstack.ParseDate(date)
	if err != nil {
		return date + " "
	}
	w := d.Wall.Add(time.Second)
	return w.Format("Mon, 02 Jan 2006 15:04:05 ") + d.Zone
}
