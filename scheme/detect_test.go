package scheme_test

import (
	"errors"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

func TestDetect(t *testing.T) {
	h := func(name, value string) []sigconform.Header { return []sigconform.Header{{Name: name, Value: value}} }
	for _, tc := range []struct {
		name string
		req  sigconform.Request
		want string // "" for ErrUndetected
	}{
		{"sigv4 header", sigconform.Request{URL: "https://s3.amazonaws.com/b/k", Headers: h("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")}, "sigv4"},
		{"sigv4 presigned", sigconform.Request{URL: "https://s3.amazonaws.com/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&x-amz-signature=00"}, "sigv4"},
		{"zstack", sigconform.Request{URL: "http://h:8080/zstack/v1/zones", Headers: h("authorization", "ZStack key:c2ln")}, "zstack"},
		{"zstack upper case", sigconform.Request{URL: "http://h/zstack/v1/zones", Headers: h("Authorization", "ZSTACK key:c2ln")}, "zstack"},
		{"sigv2 query", sigconform.Request{URL: "https://ec2.amazonaws.com/?Action=DescribeRegions&AWSAccessKeyId=AKID&SignatureVersion=2&Signature=c2ln"}, "sigv2"},
		{"sigv2 form", sigconform.Request{Method: "POST", URL: "https://ec2.amazonaws.com/", Body: "Action=DescribeRegions&AWSAccessKeyId=AKID&Signature=c2ln"}, "sigv2"},
		{"cloudstack", sigconform.Request{URL: "http://h:8080/client/api?command=listZones&apiKey=k&signature=c2ln"}, "cloudstack"},
		{"cloudstack console, lower-case apikey", sigconform.Request{URL: "http://h:8080/client/console?cmd=access&apikey=k&signature=c2ln"}, "cloudstack"},
		{"unsigned", sigconform.Request{URL: "http://h:8080/client/api?command=listZones"}, ""},
		{"apiKey without signature", sigconform.Request{URL: "http://h/client/api?apiKey=k"}, ""},
		{"a parameter value is not a name", sigconform.Request{URL: "http://h/?q=X-Amz-Signature"}, ""},
		{"another Authorization scheme", sigconform.Request{URL: "http://h/", Headers: h("Authorization", "Bearer abc")}, ""},
		{"sigv4 algorithm without the space", sigconform.Request{URL: "http://h/", Headers: h("Authorization", "AWS4-HMAC-SHA256")}, ""},
	} {
		got, err := scheme.Detect(tc.req)
		switch {
		case tc.want == "" && !errors.Is(err, scheme.ErrUndetected):
			t.Errorf("%s: Detect = %q, %v; want ErrUndetected", tc.name, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("%s: Detect = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// Every request a reference scheme signs for an embedded sign case is
// detected as that scheme's, but those whose signature travels in a form
// body, which a sigconform.Result does not carry.
func TestDetectSigned(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, c := range set.Cases() {
		if c.Kind != vectors.Sign {
			continue
		}
		s, ok := scheme.Lookup(c.Scheme())
		if !ok {
			t.Fatalf("%s: no scheme %q", c.Pos(), c.Scheme())
		}
		in := c.Input()
		res, err := s.Sign(in, "")
		if err != nil {
			continue // a case whose expected outcome is an error
		}
		if (res.URL == "" || res.URL == in.Request.URL) && len(res.Headers) == 0 {
			continue // a signed form body, which a Result does not carry
		}
		got, err := scheme.Detect(res.Apply(in.Request))
		if err != nil || got != s.Name() {
			t.Errorf("%s: Detect = %q, %v; want %q", c.Pos(), got, err, s.Name())
		}
		n[s.Name()]++
	}
	for _, name := range scheme.Names() {
		if n[name] == 0 {
			t.Errorf("no signed %s request was detected", name)
		}
	}
}
