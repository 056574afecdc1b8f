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
	fast := 0
	for _, b := range lines {
		got, ok := fastResponse(b)
		want, err := slowResponse(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if ok {
			fast++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: fast %+v, encoding/json %+v", b, got, want)
			}
		}
	}
	if fast < len(lines)*9/10 {
		t.Errorf("the fast decoder took %d of %d answers, want nearly all", fast, len(lines))
	}
	// Mangled answers: bytes changed, removed, duplicated, or cut.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`{}[]:," \\trufalsenl0123456789idresultverdict` + "\x00\x7f\xc3")
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
		got, ok := fastResponse(b)
		if !ok {
			continue
		}
		want, err := slowResponse(b)
		if err != nil {
			t.Fatalf("%q: the fast decoder accepted what encoding/json refuses: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", b, got, want)
		}
	}
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
	fast := 0
	for _, b := range lines {
		got, ok := fastRequest(b)
		want, err := unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if ok {
			fast++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: fast %+v, encoding/json %+v", b, got, want)
			}
		}
	}
	if fast < len(lines)*9/10 {
		t.Errorf("the fast decoder took %d of %d requests, want nearly all", fast, len(lines))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte(`{}[]:," \\trufalsenl0123456789-.eE` + "\x00\x7f\xc3")
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
		got, ok := fastRequest(b)
		if !ok {
			continue
		}
		want, err := unmarshal(b)
		if err != nil {
			t.Fatalf("%q: the fast decoder accepted what encoding/json refuses: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", b, got, want)
		}
	}
}
