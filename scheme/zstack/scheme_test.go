package zstack

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/schemetest"
)

// The key pair, Date and signature of the documentation's example
// (https://www.zstack.io/help/dev_manual/dev_guide/v5/3.html, shared/seeds/001).
const (
	docID     = "vvSZpmj4cnB53qUDmm6E"
	docSecret = "8heumeFTvIeZxkTGfEYvVi9qVVPd9ffQNDALSPPb"
	docDate   = "Fri, 06 Aug 2021 17:58:34 PRC"
	docURL    = "http://172.20.11.134:8080/zstack/v1/vm-instances"
	docSig    = "hPToRHeHdV49D4u20G8OlE0yJho="
)

func TestVectors(t *testing.T) { schemetest.Run(t, Scheme) }

func TestStringToSign(t *testing.T) {
	got := StringToSign("GET", docDate, "/v1/vm-instances")
	want := "GET\nFri, 06 Aug 2021 17:58:34 PRC\n/v1/vm-instances"
	if got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}
	// Nothing is normalized: the method and Date are used as given.
	if got := StringToSign("get", "x", ""); got != "get\nx\n" {
		t.Errorf("StringToSign(get, x, \"\") = %q", got)
	}
}

func TestSignature(t *testing.T) {
	tests := []struct{ secret, msg, want string }{
		// The documentation's example.
		{docSecret, "GET\nFri, 06 Aug 2021 17:58:34 PRC\n/v1/vm-instances", docSig},
		// HMAC-SHA1 example of RFC 2104 implementations (Wikipedia "HMAC"):
		// de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9 in hex, Base64 by hand/python.
		{"key", "The quick brown fox jumps over the lazy dog", "3nybhbi3iqa8ino29wqQcBydtNk="},
	}
	for _, tt := range tests {
		if got := Signature(tt.secret, tt.msg); got != tt.want {
			t.Errorf("Signature(%q, %q) = %q, want %q", tt.secret, tt.msg, got, tt.want)
		}
	}
	if got := Authorization(docID, docSig); got != "ZStack vvSZpmj4cnB53qUDmm6E:hPToRHeHdV49D4u20G8OlE0yJho=" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestSignedURI(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://h:8080/zstack/v1/vm-instances?x=1", "/v1/vm-instances"},
		{docURL, "/v1/vm-instances"},
		{"http://h:8080/zstack/v1/vm-instances/a%20b", "/v1/vm-instances/a b"},
		{"http://h:8080/zstack/v1/a+b", "/v1/a+b"}, // UriUtils.decode keeps '+'
		{"http://h:8080/zstack/v1/%2Fx", "/v1//x"},
		{"http://h:8080/zstack/v1/%E4%B8%AD", "/v1/\u4e2d"},
		{"http://h:8080/zstack/v1/%ff", "/v1/\ufffd"},
		{"http://h:8080/v1/zones", "/v1/zones"},          // no context path in the URL
		{"http://h:8080/zstackx/v1", "/zstackx/v1"},      // not the /zstack segment
		{"http://h:8080/zstack/zstack/v1", "/zstack/v1"}, // removeStart strips once
		{"HTTPS://h/zstack/v1/zones#frag", "/v1/zones"},
		{"/zstack/v1/zones?limit=1", "/v1/zones"},
		{"http://h:8080", "/"},
		{"http://h:8080?x=1", "/"},
	}
	for _, tt := range tests {
		got, err := SignedURI(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("SignedURI(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"http://h:8080/zstack/v1/%zz",
		"http://h:8080/zstack/v1/%4",
		"http://h:8080/zstack/v1/a%",
		"ftp://h/zstack/v1",
		"zstack/v1/zones",
		"http:///zstack/v1",
	} {
		if got, err := SignedURI(bad); err == nil {
			t.Errorf("SignedURI(%q) = %q, want an error", bad, got)
		}
	}
}

func TestVariantURI(t *testing.T) {
	tests := []struct{ variant, url, want string }{
		{WithContextPrefix, "http://h/zstack/v1/a%20b?x=1", "/zstack/v1/a b"},
		{WithContextPrefix, "http://h/v1/zones", "/v1/zones"},
		{WithQueryString, "http://h/zstack/v1/zones?q=name=a%20b&limit=1", "/v1/zones?q=name=a%20b&limit=1"},
		{WithQueryString, "http://h/zstack/v1/zones", "/v1/zones"},
		{WithQueryString, "http://h/zstack/v1/zones?", "/v1/zones"},
		{CheckTimeZone, "http://h/zstack/v1/zones?x=1", "/v1/zones"},
	}
	for _, tt := range tests {
		r, err := rulesFor(tt.variant)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.uri(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("uri(%s, %q) = %q, %v; want %q", tt.variant, tt.url, got, err, tt.want)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		in, id, sig string
		err         error
	}{
		{"ZStack id:sig=", "id", "sig=", nil},
		{"  ZStack   id:sig  \t", "id", "sig", nil},
		{"ZStackid:sig", "id", "sig", nil},    // no space needed after the type
		{"ZStack :sig", "", "sig", nil},       // split gives ["", "sig"]
		{"ZStack id:sig:", "id", "sig:", nil}, // Java drops the trailing empty part
		{"zstack id:sig", "", "", ErrNotAccessKey},
		{"Zstack id:sig", "", "", ErrNotAccessKey},
		{"OAuth 1234", "", "", ErrNotAccessKey},
		{"Basic aWQ6c2ln", "", "", ErrNotAccessKey},
		{"", "", "", ErrNotAccessKey},
		{"ZStack id", "", "", ErrKeyFormat},
		{"ZStack id:", "", "", ErrKeyFormat},
		{"ZStack id::", "", "", ErrKeyFormat},
		{"ZStack a:b:c", "", "", ErrKeyFormat},
		{"ZStack ", "", "", ErrKeyFormat},
	}
	for _, tt := range tests {
		id, sig, err := ParseAuthorization(tt.in)
		if !errors.Is(err, tt.err) || id != tt.id || sig != tt.sig {
			t.Errorf("ParseAuthorization(%q) = %q, %q, %v; want %q, %q, %v", tt.in, id, sig, err, tt.id, tt.sig, tt.err)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		wall    string // RFC 3339 without zone
		instant string // RFC 3339 in UTC
	}{
		{docDate, "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"fri, 06 AUG 2021 17:58:34 prc", "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 GMT", "2021-08-06T17:58:34", "2021-08-06T17:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 UTC", "2021-08-06T17:58:34", "2021-08-06T17:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 UT", "2021-08-06T17:58:34", "2021-08-06T17:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 GMT+08:00", "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 UTC-05:30", "2021-08-06T17:58:34", "2021-08-06T23:28:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 +08:00", "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 Asia/Shanghai", "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 asia/shanghai", "2021-08-06T17:58:34", "2021-08-06T09:58:34Z"},
		{"Fri, 06 Aug 2021 17:58:34 America/New_York", "2021-08-06T17:58:34", "2021-08-06T21:58:34Z"},
		// Java's English CST is Central Standard Time (America/Chicago),
		// on daylight time (-05:00) in August.
		{"Fri, 06 Aug 2021 17:58:34 CST", "2021-08-06T17:58:34", "2021-08-06T22:58:34Z"},
		// SMART resolving: 31 Feb 2022 becomes 28 Feb 2022, a Monday.
		{"Mon, 31 Feb 2022 00:00:00 GMT", "2022-02-28T00:00:00", "2022-02-28T00:00:00Z"},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if got := d.Wall.Format("2006-01-02T15:04:05"); got != tt.wall {
			t.Errorf("ParseDate(%q).Wall = %s, want %s", tt.in, got, tt.wall)
		}
		if got := d.Instant().UTC().Format(time.RFC3339); got != tt.instant {
			t.Errorf("ParseDate(%q).Instant() = %s, want %s", tt.in, got, tt.instant)
		}
	}
	for _, bad := range []string{
		"Sat, 06 Aug 2021 17:58:34 PRC",       // 6 Aug 2021 is a Friday
		"Fri, 6 Aug 2021 17:58:34 PRC",        // dd
		"Friday, 06 Aug 2021 17:58:34 PRC",    // EEE
		"Fri, 06 August 2021 17:58:34 PRC",    // MMM
		"Fri, 06 Aug 2021 17:58:34",           // no zone
		"Fri, 06 Aug 2021 17:58:34 ",          // empty zone
		"Fri, 06 Aug 2021 17:58:34 XYZ",       // unknown zone
		"Fri, 06 Aug 2021 17:58:34 PRC ",      // trailing text
		"Fri, 06 Aug 2021 24:00:00 PRC",       // hour
		"Fri, 06 Aug 2021 17:60:34 PRC",       // minute
		"Fri, 06 Aug 2021 17:58:34 GMT+8",     // offset form not modelled
		"Fri, 06 Aug 2021 17:58:34 Local",     // Go's name, not a zone id
		"Fri,  06 Aug 2021 17:58:34 PRC",      // spacing
		"2021-08-06T17:58:34+08:00",           // RFC 3339
		"Fri, 06 Aug 2021 17:58:34 GMT+19:00", // offset range
	} {
		if d, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %+v, want an error", bad, d)
		}
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct{ time, want string }{
		{"2021-08-06T09:58:34Z", "Fri, 06 Aug 2021 09:58:34 GMT"},
		{"2021-08-06T17:58:34+08:00", "Fri, 06 Aug 2021 17:58:34 GMT+08:00"},
		{"2021-08-06T04:28:34-05:30", "Fri, 06 Aug 2021 04:28:34 GMT-05:30"},
	}
	for _, tt := range tests {
		tm, err := time.Parse(time.RFC3339, tt.time)
		if err != nil {
			t.Fatal(err)
		}
		got, err := FormatDate(tm)
		if err != nil || got != tt.want {
			t.Errorf("FormatDate(%s) = %q, %v; want %q", tt.time, got, err, tt.want)
		}
		// What FormatDate writes, ParseDate reads back as the same instant.
		d, err := ParseDate(got)
		if err != nil || !d.Instant().Equal(tm) {
			t.Errorf("ParseDate(FormatDate(%s)) = %v, %v", tt.time, d.Instant(), err)
		}
	}
}

func docInput() sigconform.Input {
	return sigconform.Input{
		Scheme:      Name,
		Credentials: sigconform.Credentials{AccessKey: docID, SecretKey: docSecret},
		Request: sigconform.Request{Method: "GET", URL: docURL, Headers: []sigconform.Header{
			{Name: "Authorization", Value: "ZStack " + docID + ":" + docSig},
			{Name: "Content-Type", Value: "application/x-www-form-urlencoded"},
			{Name: "Date", Value: docDate},
		}},
		Context: sigconform.Context{Time: "2021-08-06T18:00:00+08:00"},
	}
}

func TestSignWithContextTime(t *testing.T) {
	// Expected signatures computed with Python's hmac and base64 modules.
	tests := []struct{ time, date, sig string }{
		{"2021-08-06T17:58:34+08:00", "Fri, 06 Aug 2021 17:58:34 GMT+08:00", "E87iattsaiMFFgm75x2aB6vQPbo="},
		{"2021-08-06T09:58:34Z", "Fri, 06 Aug 2021 09:58:34 GMT", "UIx4AvldlWV9vLE1z6i+ajUfAus="},
	}
	for _, tt := range tests {
		in := docInput()
		in.Request.Headers = nil
		in.Context.Time = tt.time
		res, err := Scheme.Sign(in, "")
		if err != nil {
			t.Fatalf("Sign(%s): %v", tt.time, err)
		}
		want := []sigconform.Header{
			{Name: "Date", Value: tt.date},
			{Name: "Authorization", Value: "ZStack " + docID + ":" + tt.sig},
		}
		if res.Signature != tt.sig || len(res.Headers) != 2 || res.Headers[0] != want[0] || res.Headers[1] != want[1] {
			t.Errorf("Sign(%s) = %+v, want signature %s, headers %v", tt.time, res, tt.sig, want)
		}
		if sts, _ := res.Stage(StageStringToSign); sts != "GET\n"+tt.date+"\n/v1/vm-instances" {
			t.Errorf("Sign(%s) string_to_sign = %q", tt.time, sts)
		}
		if res.URL != docURL {
			t.Errorf("Sign(%s) URL = %q, want it unchanged", tt.time, res.URL)
		}
		// The reference verifier, with the same clock, accepts it.
		in.Request.Headers = res.Headers
		if v := Scheme.Verify(in, ""); !v.Accept {
			t.Errorf("Verify(Sign(%s)) = %+v", tt.time, v)
		}
	}
}

func TestSignQueryAndEncodedPath(t *testing.T) {
	in := docInput()
	in.Request.Headers = []sigconform.Header{{Name: "Date", Value: docDate}}

	in.Request.URL = docURL + "?limit=1"
	res, err := Scheme.Sign(in, "")
	if err != nil || res.Signature != docSig {
		t.Errorf("reference Sign with a query = %q, %v; want %s (the query is not signed)", res.Signature, err, docSig)
	}
	// Python: hmac(secret, "GET\n<date>\n/v1/vm-instances?limit=1").
	res, err = Scheme.Sign(in, WithQueryString)
	if err != nil || res.Signature != "S5ecGumG5kR8SCTnNSkNjqydM0s=" {
		t.Errorf("with-query-string Sign = %q, %v", res.Signature, err)
	}

	in.Request.URL = "http://172.20.11.134:8080/zstack/v1/vm-instances/a%20b"
	res, err = Scheme.Sign(in, "")
	if err != nil || res.Signature != "vOPovFGnhMgDyPpP+CxKC5gv0QY=" {
		t.Errorf("Sign of an encoded path = %q, %v", res.Signature, err)
	}
}

func TestSignErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*sigconform.Input)
	}{
		{"no date, no time", func(in *sigconform.Input) { in.Request.Headers = nil; in.Context.Time = "" }},
		{"bad time", func(in *sigconform.Input) { in.Request.Headers = nil; in.Context.Time = "yesterday" }},
		{"bad url", func(in *sigconform.Input) { in.Request.URL = "vm-instances" }},
		{"bad escape", func(in *sigconform.Input) { in.Request.URL = docURL + "/%g0" }},
		{"no method", func(in *sigconform.Input) { in.Request.Method = "" }},
		{"colon in key id", func(in *sigconform.Input) { in.Credentials.AccessKey = "a:b" }},
		{"no key id", func(in *sigconform.Input) { in.Credentials.AccessKey = "" }},
		{"no secret", func(in *sigconform.Input) { in.Credentials.SecretKey = "" }},
	}
	for _, tt := range tests {
		in := docInput()
		tt.modify(&in)
		if res, err := Scheme.Sign(in, ""); err == nil {
			t.Errorf("%s: Sign = %+v, want an error", tt.name, res)
		}
	}
	if _, err := Scheme.Sign(docInput(), "nope"); !errors.Is(err, sigconform.ErrUnknownVariant) {
		t.Errorf("Sign with an unknown variant: %v, want ErrUnknownVariant", err)
	}
}

func setHeader(in *sigconform.Input, name, value string) {
	var hs []sigconform.Header
	for _, h := range in.Request.Headers {
		if !strings.EqualFold(h.Name, name) {
			hs = append(hs, h)
		}
	}
	if value != "" {
		hs = append(hs, sigconform.Header{Name: name, Value: value})
	}
	in.Request.Headers = hs
}

func TestVerify(t *testing.T) {
	auth := func(sig string) string { return "ZStack " + docID + ":" + sig }
	tests := []struct {
		name    string
		variant string
		modify  func(*sigconform.Input)
		want    sigconform.Reason // "" = accept
	}{
		{"documented request", "", func(*sigconform.Input) {}, ""},
		{"documented request, zones checked", CheckTimeZone, func(*sigconform.Input) {}, ""},
		{"signs-only variant verifies like the reference", WithContextPrefix, func(*sigconform.Input) {}, ""},
		{"curl's header without space", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "ZStack "+docID+":"+docSig+" ") }, ""},
		{"query not signed", "", func(in *sigconform.Input) { in.Request.URL = docURL + "?limit=1" }, ""},
		{"no context path", "", func(in *sigconform.Input) { in.Request.URL = "http://172.20.11.134:8080/v1/vm-instances" }, ""},

		// Clock: 17:58:34 against the server's wall clock, 15 minutes inclusive.
		{"15 min after the date", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T18:13:34+08:00" }, ""},
		{"15 min 1 s after", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T18:13:35+08:00" }, sigconform.Expired},
		{"15 min before the date", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T17:43:34+08:00" }, ""},
		{"15 min 1 s before", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T17:43:33+08:00" }, sigconform.Expired},
		// A server in UTC at the same instant: its wall clock reads 10:00.
		{"UTC server, zone ignored", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T10:00:00Z" }, sigconform.Expired},
		{"UTC server, zone checked", CheckTimeZone, func(in *sigconform.Input) { in.Context.Time = "2021-08-06T10:00:00Z" }, ""},
		// A UTC server whose wall clock reads 18:00, eight hours later.
		{"UTC 18:00, zone ignored", "", func(in *sigconform.Input) { in.Context.Time = "2021-08-06T18:00:00Z" }, ""},
		{"UTC 18:00, zone checked", CheckTimeZone, func(in *sigconform.Input) { in.Context.Time = "2021-08-06T18:00:00Z" }, sigconform.Expired},
		{"no clock", "", func(in *sigconform.Input) { in.Context.Time = "" }, sigconform.Malformed},

		{"no Authorization", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "") }, sigconform.MissingParameter},
		{"no Date", "", func(in *sigconform.Input) { setHeader(in, "Date", "") }, sigconform.MissingParameter},
		{"wrong weekday", "", func(in *sigconform.Input) { setHeader(in, "Date", "Sat, 06 Aug 2021 17:58:34 PRC") }, sigconform.Malformed},
		{"OAuth", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "OAuth 4e3a") }, sigconform.Malformed},
		{"Zstack prefix", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "Zstack "+docID+":"+docSig) }, sigconform.Malformed},
		{"no colon", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "ZStack "+docID) }, sigconform.Malformed},
		{"two colons", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "ZStack a:"+docID+":"+docSig) }, sigconform.Malformed},
		{"other key id", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "ZStack N3Tf05yXZUmSjCf6mYIB:"+docSig) }, sigconform.UnknownKey},
		{"empty key id", "", func(in *sigconform.Input) { setHeader(in, "Authorization", "ZStack :"+docSig) }, sigconform.UnknownKey},
		{"unpadded", "", func(in *sigconform.Input) { setHeader(in, "Authorization", auth("hPToRHeHdV49D4u20G8OlE0yJho")) }, sigconform.WrongEncoding},
		{"one char changed", "", func(in *sigconform.Input) { setHeader(in, "Authorization", auth("hPToRHeHdV49D4u20G8OlE0yJhp=")) }, sigconform.BadSignature},
		{"trailing colon", "", func(in *sigconform.Input) { setHeader(in, "Authorization", auth(docSig+":")) }, sigconform.BadSignature},
		{"other method", "", func(in *sigconform.Input) { in.Request.Method = "POST" }, sigconform.BadSignature},
		{"other path", "", func(in *sigconform.Input) { in.Request.URL = docURL + "/x" }, sigconform.BadSignature},
		{"expired and bad: date checked first", "", func(in *sigconform.Input) {
			setHeader(in, "Authorization", auth("AAAA"))
			in.Context.Time = "2021-08-07T18:00:00+08:00"
		}, sigconform.Expired},
		{"bad escape in path", "", func(in *sigconform.Input) { in.Request.URL = docURL + "/%zz" }, sigconform.Malformed},
		{"unknown variant", "nope", func(*sigconform.Input) {}, sigconform.Malformed},

		// /zstack/zstack/v1/vm-instances signs /zstack/v1/vm-instances, whose
		// signature (4IpKm7pLtCo1/xrAUTuOcJqiyWc=, also computed by
		// research/verify/zstack_verify.py) has a '/': URL-safe it is '_'.
		{"slash signature", "", func(in *sigconform.Input) {
			in.Request.URL = "http://172.20.11.134:8080/zstack/zstack/v1/vm-instances"
			setHeader(in, "Authorization", auth("4IpKm7pLtCo1/xrAUTuOcJqiyWc="))
		}, ""},
		{"url-safe signature", "", func(in *sigconform.Input) {
			in.Request.URL = "http://172.20.11.134:8080/zstack/zstack/v1/vm-instances"
			setHeader(in, "Authorization", auth("4IpKm7pLtCo1_xrAUTuOcJqiyWc="))
		}, sigconform.WrongEncoding},
	}
	for _, tt := range tests {
		in := docInput()
		tt.modify(&in)
		v := Scheme.Verify(in, tt.variant)
		switch {
		case tt.want == "" && !v.Accept:
			t.Errorf("%s: rejected (%s: %s), want accept", tt.name, v.Reason, v.Detail)
		case tt.want != "" && (v.Accept || v.Reason != tt.want):
			t.Errorf("%s: got %+v, want reject %s", tt.name, v, tt.want)
		}
		if strings.Contains(v.Detail, docSecret) {
			t.Errorf("%s: the detail holds the secret", tt.name)
		}
	}
}

func TestSchemeDescription(t *testing.T) {
	if Scheme.Name() != "zstack" {
		t.Errorf("Name = %q", Scheme.Name())
	}
	if s := Scheme.Stages(); len(s) != 1 || s[0] != "string_to_sign" {
		t.Errorf("Stages = %v", s)
	}
	want := map[string][2]bool{
		WithContextPrefix: {true, false},
		WithQueryString:   {true, false},
		CheckTimeZone:     {false, true},
	}
	vs := Scheme.Variants()
	if len(vs) != len(want) {
		t.Errorf("%d variants, want %d", len(vs), len(want))
	}
	for _, v := range vs {
		flags, ok := want[v.Name]
		if !ok {
			t.Errorf("unexpected variant %q", v.Name)
			continue
		}
		if [2]bool{v.Signs, v.Verifies} != flags {
			t.Errorf("%s: Signs, Verifies = %v, %v", v.Name, v.Signs, v.Verifies)
		}
		if v.Summary == "" || len(v.Refs) == 0 {
			t.Errorf("%s: needs a summary and refs", v.Name)
		}
	}
	// Callers cannot change the package's variants through the copy.
	vs[0].Refs[0] = "changed"
	if Scheme.Variants()[0].Refs[0] == "changed" {
		t.Error("Variants returns shared slices")
	}
}

// The parsers must never panic, whatever the header says.
func FuzzParsers(f *testing.F) {
	for _, s := range []string{docDate, "ZStack id:sig", docURL, "Fri, 06 Aug 2021 17:58:34 GMT+08:00", "http://h/%", "uTc+01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseDate(s)
		_, _ = ParseDate("Fri, 06 Aug 2021 17:58:34 " + s)
		_, _, _ = ParseAuthorization(s)
		_, _ = SignedURI(s)
		for _, v := range []string{"", WithContextPrefix, WithQueryString} {
			r, _ := rulesFor(v)
			_, _ = r.uri(s)
		}
		in := docInput()
		setHeader(&in, "Date", s)
		_ = Scheme.Verify(in, "")
		_ = Scheme.Verify(in, CheckTimeZone)
	})
}
