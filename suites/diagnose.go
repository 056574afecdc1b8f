package suites

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

// diagnoseSign compares a signer's result with the case and, when they
// differ, finds the first diverging stage and the known variant, if any,
// whose output the signer reproduced.
func diagnoseSign(res *CaseResult, c *vectors.Case, got sigconform.Result) {
	var ms []vectors.Mismatch
	for _, m := range c.Expected.CompareResult(got) {
		// A signer need not report its stages, nor the URL and headers of
		// the request it sends: what it leaves out is not compared. What
		// it reports wrongly is a divergence.
		if m.Missing && m.Field != "signature" {
			res.NotReported = append(res.NotReported, m.Field)
			continue
		}
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		res.Status = Pass
		return
	}
	if onlyHowWritten(ms) {
		if note, ok := acceptedByReference(c, got); ok {
			res.Status, res.Equivalent = Pass, note
			return
		}
	}
	res.Status = Fail
	res.Got = &got
	res.Mismatches = ms
	res.Stage = ms[0].Field
	if v, ok := matchSignVariant(c, got); ok {
		res.Variant = v
		// The signer may not have said where it went wrong; the variant
		// it matches does.
		if o, ok := c.Variant(v.Name); ok && ms[0].Field == "signature" {
			// The vector records only the stages the variant changes.
			if len(o.Stages) > 0 {
				res.Stage = "stage " + o.Stages[0].Name
			}
		}
	}
	if c.Expected.Signature != "" && got.Signature != "" && !sigconform.SameMAC(got.Signature, c.Expected.Signature) {
		res.Encoding = sameMAC(c.Expected.Signature, got.Signature)
	}
}

// onlyHowWritten reports whether every mismatch is in the URL or a header:
// the stages and the signature are right.
func onlyHowWritten(ms []vectors.Mismatch) bool {
	for _, m := range ms {
		if m.Field != "url" && !strings.HasPrefix(m.Field, "header ") {
			return false
		}
	}
	return true
}

// acceptedByReference checks a signed request that carries the right
// signature but is written differently from the vector's (parameters in
// another order, other spacing in a header): it is the same request when
// the reference verifier decides on it as on the vector's own signed
// request. Comparing the two verdicts, not requiring an accept, keeps a
// case whose time has passed (a CloudStack expires in the past, checked
// against today's clock) from counting against the implementation.
func acceptedByReference(c *vectors.Case, got sigconform.Result) (string, bool) {
	ref, ok := scheme.Lookup(c.Scheme())
	if !ok {
		return "", false
	}
	in := c.Input()
	want := in
	in.Request = got.Apply(in.Request)
	want.Request = sigconform.Result{URL: c.Expected.URL, Headers: c.Expected.Headers}.Apply(want.Request)
	vGot, vWant := ref.Verify(in, ""), ref.Verify(want, "")
	if vGot.Accept != vWant.Accept || vGot.Reason != vWant.Reason {
		return "", false
	}
	return "the signed request is written differently from the vector's, with the right signature, and the reference verifier decides on it as on the vector's", true
}

// matchSignVariant finds the named variant whose signature the signer
// produced: first among the outcomes recorded in the vector, then by
// computing each signing variant of the reference.
func matchSignVariant(c *vectors.Case, got sigconform.Result) (*VariantMatch, bool) {
	// A variant that signs this case as the reference does explains
	// nothing about it.
	if sigconform.SameMAC(got.Signature, c.Expected.Signature) {
		return nil, false
	}
	ref, _ := scheme.Lookup(c.Scheme())
	for _, v := range c.Variants {
		if sigconform.SameMAC(v.Signature, got.Signature) {
			return variantMatch(ref, v.Name, v.Refs), true
		}
	}
	if ref == nil {
		return nil, false
	}
	for _, v := range ref.Variants() {
		if !v.Signs {
			continue
		}
		out, err := ref.Sign(c.Input(), v.Name)
		if err == nil && sigconform.SameMAC(out.Signature, got.Signature) {
			return variantMatch(ref, v.Name, nil), true
		}
	}
	return nil, false
}

func variantMatch(ref sigconform.Scheme, name string, refs []string) *VariantMatch {
	m := &VariantMatch{Name: name, Refs: refs}
	if ref != nil {
		if v, ok := sigconform.LookupVariant(ref, name); ok {
			m.Summary = v.Summary
			if len(m.Refs) == 0 {
				m.Refs = v.Refs
			}
		}
	}
	return m
}

// diagnoseVerify compares a verifier's verdict with the case.
func diagnoseVerify(res *CaseResult, c *vectors.Case, got sigconform.Verdict) {
	ms := c.Expected.CompareVerdict(got)
	if len(ms) == 0 {
		res.Status = Pass
		return
	}
	res.Status = Fail
	res.Verdict = &got
	res.Mismatches = ms
	res.Stage = ms[0].Field
	ref, _ := scheme.Lookup(c.Scheme())
	for _, v := range c.Variants {
		if len(v.CompareVerdict(got)) == 0 {
			res.Variant = variantMatch(ref, v.Name, v.Refs)
			return
		}
	}
	if ref == nil {
		return
	}
	for _, v := range ref.Variants() {
		if !v.Verifies {
			continue
		}
		// Only a variant that itself departs from the expected verdict,
		// the way the implementation did, explains it.
		vv := ref.Verify(c.Input(), v.Name)
		if len(c.Expected.CompareVerdict(vv)) > 0 && sameVerdict(vv, got) {
			res.Variant = variantMatch(ref, v.Name, nil)
			return
		}
	}
}

func sameVerdict(a, b sigconform.Verdict) bool {
	return a.Accept == b.Accept && (a.Accept || b.Reason == "" || a.Reason == b.Reason)
}

// sameMAC says how got writes the same MAC bytes as want in another form, or
// returns "" when the bytes differ: "the right HMAC, written in URL-safe
// Base64" is a different bug from "the wrong HMAC".
func sameMAC(want, got string) string {
	if strings.EqualFold(want, got) {
		return "the right MAC with the case of its letters changed"
	}
	wb := decodeAny(want)
	if wb == nil {
		return ""
	}
	for _, d := range decoders {
		if b, err := d.decode(got); err == nil && bytes.Equal(b, wb) {
			return "the right MAC, written as " + d.name
		}
	}
	return ""
}

type decoder struct {
	name   string
	decode func(string) ([]byte, error)
}

// decoders are tried in order; hex comes first because a hex string is
// also valid Base64, never the other way round for a real signature.
var decoders = []decoder{
	{"hex", hex.DecodeString},
	{"standard Base64", base64.StdEncoding.DecodeString},
	{"standard Base64 without padding", base64.RawStdEncoding.DecodeString},
	{"URL-safe Base64", base64.URLEncoding.DecodeString},
	{"URL-safe Base64 without padding", base64.RawURLEncoding.DecodeString},
}

func decodeAny(s string) []byte {
	for _, d := range decoders {
		if b, err := d.decode(s); err == nil {
			return b
		}
	}
	return nil
}
