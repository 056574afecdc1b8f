package percent_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/internal/percent"
)

func TestEncode(t *testing.T) {
	for _, tc := range []struct {
		in, space, want string
	}{
		{"a b~*/é", "", "a%20b~%2A%2F%C3%A9"},
		{"a b~*/é", "+", "a+b~%2A%2F%C3%A9"},
		{"", "", ""},
		{"\x00\xff", "", "%00%FF"},
	} {
		if got := percent.Encode(tc.in, percent.Unreserved, tc.space); got != tc.want {
			t.Errorf("Encode(%q, Unreserved, %q) = %q, want %q", tc.in, tc.space, got, tc.want)
		}
	}
}

// With the unreserved set and "+" for a space, Encode is Go's
// url.QueryEscape, an independent implementation, on every byte.
func TestEncodeIsQueryEscape(t *testing.T) {
	var b strings.Builder
	for c := 0; c < 256; c++ {
		b.WriteByte(byte(c))
	}
	s := b.String()
	if got, want := percent.Encode(s, percent.Unreserved, "+"), url.QueryEscape(s); got != want {
		t.Errorf("Encode differs from url.QueryEscape:\n got %q\nwant %q", got, want)
	}
}
