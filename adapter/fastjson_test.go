package adapter

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// The fast decoder agrees with encoding/json: on every answer the
// reference gives over the corpus it decodes the same response, and on
// mangled ones it either decodes what encoding/json decodes or leaves the
// decision to it.
func TestFastResponse(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, c := range set.Cases() {
		op := OpSign
		if c.Kind == vectors.Verify {
			op = OpVerify
		}
		b, err := json.Marshal(Answer(context.Background(), suites.Reference{}, newRequest(op, c.Input())))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, append(b, '\n'))
	}
	lines = append(lines,
		[]byte(`{"id":"a","result":{"signature":"x","headers":[],"stages":{}}}`),
		[]byte(` { "id" : "a" , "verdict" : { "accept" : false , "reason" : "expired" , "detail" : "d" } } `),
		[]byte(`{"id":"a","unsupported":"no","error":"both"}`),
		[]byte(`{}`),
	)
	alphabet := []byte(`{}[]:," \\trufalsenl0123456789idresultverdict` + "\x00\x7f\xc3")
	checkFast(t, "answers", lines, rand.New(rand.NewPCG(1, 2)), alphabet, fastResponse, slowResponse)
}

// fastRequest agrees with json.Unmarshal, as fastResponse with its
// decoder.
func TestFastRequest(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, c := range set.Cases() {
		op := OpSign
		if c.Kind == vectors.Verify {
			op = OpVerify
		}
		b, err := json.Marshal(newRequest(op, c.Input()))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, append(b, '\n'))
	}
	lines = append(lines, []byte(`{"context":{"presign_expires":-12,"normalize_path":false,"sign_body":true}}`))
	unmarshal := func(b []byte) (*Request, error) {
		var r Request
		err := json.Unmarshal(b, &r)
		return &r, err
	}
	alphabet := []byte(`{}[]:," \\trufalsenl0123456789-.eE` + "\x00\x7f\xc3")
	checkFast(t, "requests", lines, rand.New(rand.NewPCG(3, 4)), alphabet, fastRequest, unmarshal)
}

// checkFast checks a fast decoder against encoding/json (slow): it takes
// nearly all of lines (what they are, for the message), each decoded as
// slow decodes it, and 30000 mangled copies of them (bytes changed to
// bytes of alphabet, removed, duplicated, or cut, as rng draws) it either
// decodes as slow does or leaves to slow.
func checkFast[T any](t *testing.T, what string, lines [][]byte, rng *rand.Rand, alphabet []byte,
	fast func([]byte) (T, bool), slow func([]byte) (T, error)) {
	t.Helper()
	took := 0
	for _, b := range lines {
		got, ok := fast(b)
		want, err := slow(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if ok {
			took++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: fast %+v, encoding/json %+v", b, got, want)
			}
		}
	}
	if took < len(lines)*9/10 {
		t.Errorf("the fast decoder took %d of %d %s, want nearly all", took, len(lines), what)
	}
	for range 30000 {
		b := append([]byte(nil), lines[rng.IntN(len(lines))]...)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b))
			switch rng.IntN(4) {
			case 0:
				b[i] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			case 2:
				b = append(b[:i], append([]byte{b[i]}, b[i:]...)...)
			case 3:
				b = b[:i]
			}
			if len(b) == 0 {
				b = []byte("{")
			}
		}
		got, ok := fast(b)
		if !ok {
			continue
		}
		want, err := slow(b)
		if err != nil {
			t.Fatalf("%q: the fast decoder accepted what encoding/json refuses: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", b, got, want)
		}
	}
}
