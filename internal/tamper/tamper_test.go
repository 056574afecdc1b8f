package tamper

import (
	"slices"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
)

func TestEncodings(t *testing.T) {
	const (
		hexSig = "0123456789abcdef0123456789abcdef01234567" // 40 digits: a SHA-1 MAC
		b64Sig = "q+/rkq0nHRhIo6rDLS8ojIaWpPc="
	)
	for _, c := range []struct {
		sig          string
		hex          bool
		flipped      string
		swapped      string
		safe         string
		safeChanged  bool
		unpadded     string
		unpadChanged bool
	}{
		{hexSig, true, "0023456789abcdef0123456789abcdef01234567", "0123456789Abcdef0123456789abcdef01234567", hexSig, false, hexSig, false},
		{b64Sig, false, "qu/rkq0nHRhIo6rDLS8ojIaWpPc=", "Q+/rkq0nHRhIo6rDLS8ojIaWpPc=", "q-_rkq0nHRhIo6rDLS8ojIaWpPc=", true, "q+/rkq0nHRhIo6rDLS8ojIaWpPc", true},
	} {
		if got := IsHex(c.sig); got != c.hex {
			t.Errorf("IsHex(%q) = %v, want %v", c.sig, got, c.hex)
		}
		if got, err := FlipBit(c.sig); err != nil || got != c.flipped {
			t.Errorf("FlipBit(%q) = %q, %v; want %q", c.sig, got, err, c.flipped)
		}
		if got := SwapCase(c.sig); got != c.swapped {
			t.Errorf("SwapCase(%q) = %q, want %q", c.sig, got, c.swapped)
		}
		if got, changed := URLSafe(c.sig); got != c.safe || changed != c.safeChanged {
			t.Errorf("URLSafe(%q) = %q, %v; want %q, %v", c.sig, got, changed, c.safe, c.safeChanged)
		}
		if got, changed := Unpadded(c.sig); got != c.unpadded || changed != c.unpadChanged {
			t.Errorf("Unpadded(%q) = %q, %v; want %q, %v", c.sig, got, changed, c.unpadded, c.unpadChanged)
		}
	}
	if IsHex("0123abcd") {
		t.Errorf("IsHex: 8 hex digits are not a MAC")
	}
	if _, err := FlipBit("not a MAC!"); err == nil {
		t.Errorf("FlipBit of neither hex nor Base64: no error")
	}
	if got := SwapCase("0123-=="); got != "0123-==" {
		t.Errorf("SwapCase without a letter = %q, want it unchanged", got)
	}
}

func TestWithSignature(t *testing.T) {
	const old, sig = "ab+/c=", "xy+/z="
	for _, c := range []struct {
		name     string
		sent     sigconform.Request
		wantURL  string
		wantAuth string
	}{
		{"header", sigconform.Request{URL: "http://h/p?a=1", Headers: []sigconform.Header{{Name: "Authorization", Value: "X k:" + old}}},
			"http://h/p?a=1", "X k:" + sig},
		{"percent-encoded URL", sigconform.Request{URL: "http://h/p?a=1&signature=ab%2B%2Fc%3D"},
			"http://h/p?a=1&signature=xy%2B%2Fz%3D", ""},
		{"raw URL", sigconform.Request{URL: "http://h/p?a=1&signature=" + old},
			"http://h/p?a=1&signature=" + sig, ""},
	} {
		v := Valid{Name: c.name, Result: sigconform.Result{Signature: old}, Sent: c.sent}
		headers := slices.Clone(c.sent.Headers)
		got := v.WithSignature(sig).Request
		if got.URL != c.wantURL {
			t.Errorf("%s: URL %q, want %q", c.name, got.URL, c.wantURL)
		}
		if auth, _ := got.Header("Authorization"); auth != c.wantAuth {
			t.Errorf("%s: Authorization %q, want %q", c.name, auth, c.wantAuth)
		}
		if !slices.Equal(v.Sent.Headers, headers) {
			t.Errorf("%s: the request as sent was changed: %v", c.name, v.Sent.Headers)
		}
	}
}

func TestAt(t *testing.T) {
	v := Valid{Name: "n", In: sigconform.Input{Context: sigconform.Context{Time: "2024-01-02T03:04:05Z"}}}
	in, err := v.At(-90 * time.Minute)
	if err != nil || in.Context.Time != "2024-01-02T01:34:05Z" {
		t.Errorf("At(-90m) = %q, %v; want 2024-01-02T01:34:05Z", in.Context.Time, err)
	}
	v.In.Context.Time = "yesterday"
	if _, err := v.At(time.Hour); err == nil {
		t.Errorf("At with an unparsable context time: no error")
	}
}

// The tamperings do to a request signed by a reference scheme what their
// names say: the reference verifier accepts the valid request and refuses
// the tampered ones for the reason the verify vectors give.
func TestTamperedReference(t *testing.T) {
	s, ok := scheme.Lookup("cloudstack")
	if !ok {
		t.Fatal("no cloudstack scheme")
	}
	in := sigconform.Input{
		Credentials: sigconform.Credentials{AccessKey: "SigConform-Test-ApiKey_0123456789", SecretKey: "sigconform-test-secret/+="},
		Request:     sigconform.Request{Method: "GET", URL: "http://localhost:8080/client/api?command=listZones"},
		Context:     sigconform.Context{Time: "2024-01-02T03:04:05Z", SignatureVersion: "3", Expires: "2024-01-02T03:19:05+0000"},
	}
	v, err := NewValid(s, "list-zones", "", in)
	if err != nil {
		t.Fatal(err)
	}
	sig := v.Result.Signature
	flipped, err := FlipBit(sig)
	if err != nil {
		t.Fatal(err)
	}
	unpadded, changed := Unpadded(sig)
	if !changed {
		t.Fatalf("signature %q has no padding", sig)
	}
	late, err := v.At(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   sigconform.Input
		want sigconform.Reason
	}{
		{"valid", v.Input(), ""},
		{"one-bit", v.WithSignature(flipped), sigconform.BadSignature},
		{"case-swapped", v.WithSignature(SwapCase(sig)), sigconform.BadSignature},
		{"unpadded", v.WithSignature(unpadded), sigconform.WrongEncoding},
		{"expired", late, sigconform.Expired},
	} {
		got := s.Verify(c.in, "")
		if got.Accept != (c.want == "") || got.Reason != c.want {
			t.Errorf("%s: reference verdict %+v, want reason %q", c.name, got, c.want)
		}
	}
}

func TestHeaders(t *testing.T) {
	hs := []sigconform.Header{{Name: "Host", Value: "h"}, {Name: "authorization", Value: "old"}, {Name: "X-A", Value: "1"}}
	set := SetHeader(slices.Clone(hs), "Authorization", "new")
	if want := []sigconform.Header{{Name: "Host", Value: "h"}, {Name: "authorization", Value: "new"}, {Name: "X-A", Value: "1"}}; !slices.Equal(set, want) {
		t.Errorf("SetHeader on a present header = %v, want %v", set, want)
	}
	added := SetHeader(slices.Clone(hs), "X-B", "2")
	if want := append(slices.Clone(hs), sigconform.Header{Name: "X-B", Value: "2"}); !slices.Equal(added, want) {
		t.Errorf("SetHeader on an absent header = %v, want %v", added, want)
	}
	twice := append(slices.Clone(hs), sigconform.Header{Name: "AUTHORIZATION", Value: "again"})
	deleted := DeleteHeader(twice, "Authorization")
	if want := []sigconform.Header{{Name: "Host", Value: "h"}, {Name: "X-A", Value: "1"}}; !slices.Equal(deleted, want) {
		t.Errorf("DeleteHeader = %v, want %v", deleted, want)
	}
	if len(twice) != 4 || twice[1].Value != "old" {
		t.Errorf("DeleteHeader changed its argument: %v", twice)
	}
}
