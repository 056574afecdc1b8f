package cloudstack_test

import (
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
)

// FuzzNoPanic checks that Sign and Verify answer any URL and expires value
// with a result or an error, never a panic.
func FuzzNoPanic(f *testing.F) {
	f.Add(api+"command=listZones&a=%C3%A9&b=+~*", "2011-10-10T12:00:00+0530")
	f.Add(cons+"cmd=access&vm=1&vm=2&apikey=k&signature=%E2%82", "2011-02-30T12:00:00.123456+01")
	f.Fuzz(func(t *testing.T, url, expires string) {
		in := input(url, "2011-10-10T06:00:00Z")
		for _, v := range append([]string{""}, variantNames()...) {
			cloudstack.Scheme.Verify(in, v)
			_, _ = cloudstack.Scheme.Sign(in, v)
		}
		in.Context.SignatureVersion, in.Context.Expires = "3", expires
		if res, err := cloudstack.Scheme.Sign(in, ""); err == nil {
			// What the reference signs, the reference verifies, unless the
			// request lacks a command, carries an expires it refuses or an
			// apiKey of its own.
			v := cloudstack.Scheme.Verify(input(res.URL, "2011-10-10T06:00:00Z"), "")
			switch {
			case v.Accept, v.Reason == sigconform.MissingParameter,
				v.Reason == sigconform.Expired, v.Reason == sigconform.Malformed,
				v.Reason == sigconform.UnknownKey:
			default:
				t.Errorf("Sign(%q) = %q, which Verify refuses: %+v", url, res.URL, v)
			}
		}
		_, _ = cloudstack.ParseExpires(expires)
	})
}

func variantNames() []string {
	var out []string
	for _, v := range cloudstack.Scheme.Variants() {
		out = append(out, v.Name)
	}
	return out
}
