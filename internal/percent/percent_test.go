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

// Escape is url.QueryEscape with %20 for a space, on every byte.
func TestEscape(t *testing.T) {
	var b strings.Builder
	for c := 0; c < 256; c++ {
		b.WriteByte(byte(c))
	}
	s := b.String()
	if got, want := percent.Escape(s), strings.ReplaceAll(url.QueryEscape(s), "+", "%20"); got != want {
		t.Errorf("Escape differs from url.QueryEscape with %%20:\n got %q\nwant %q", got, want)
	}
	if got, want := percent.Escape("a b+/=~-_.*"), "a%20b%2B%2F%3D~-_.%2A"; got != want {
		t.Errorf("Escape = %q, want %q", got, want)
	}
}

// Unescape reads back every escape Encode writes, in either case of hex,
// and nothing that is not one.
func TestUnescape(t *testing.T) {
	for c := 0; c < 256; c++ {
		esc := percent.Encode(string([]byte{byte(c)}), func(byte) bool { return false }, "")
		for _, s := range []string{esc, strings.ToLower(esc)} {
			if got, ok := percent.Unescape("x"+s, 1); !ok || got != byte(c) {
				t.Errorf("Unescape(%q, 1) = %#x, %v; want %#x, true", "x"+s, got, ok, c)
			}
		}
	}
	for _, s := range []string{"%", "%4", "%4g", "%g4", "a41", "%+1", ""} {
		if got, ok := percent.Unescape(s, 0); ok {
			t.Errorf("Unescape(%q, 0) = %#x, true; want false", s, got)
		}
	}
}

// Write writes into a builder what Encode returns, after what is there.
func TestWrite(t *testing.T) {
	for _, in := range []string{"", "plain", "a b~*/é", "\x00\xff"} {
		for _, space := range []string{"", "+"} {
			var b strings.Builder
			b.WriteString("x=")
			percent.Write(&b, in, percent.Unreserved, space)
			if got, want := b.String(), "x="+percent.Encode(in, percent.Unreserved, space); got != want {
				t.Errorf("Write(%q, %q) wrote %q, want %q", in, space, got, want)
			}
		}
	}
}
