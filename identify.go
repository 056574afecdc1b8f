package sigconform

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Identification says which known variants of a scheme produced an observed
// output and where that output departs from the reference's. The runner's
// diagnosis, conform serve, probe and explain, and the schemes' tests all ask
// this one question, so it is answered here once.
//
// The rule: a variant is identified when its output reproduces the observed
// one and differs from the reference's on the same input. The second half
// matters because most variants change few inputs: on the others a
// variant computes what the reference computes, and if that counted, a
// variant would be named for outputs it has nothing to do with.
type Identification struct {
	// Reference is what the reference computes: for a signer, its stages
	// and signature; for a signed request, the stages and signature the
	// reference recomputes from it.
	Reference Result
	// Given is the observed signature.
	Given string
	// Matches are the variants identified, in the scheme's order (the
	// narrowest behaviours first); empty when no known variant reproduces
	// the observed output, or when the output is the reference's.
	Matches []Match
	// Stage is where the observed output departs from the reference's: the
	// first stage the output reports differently, or, when it reports no
	// stages, the first stage the first match departs at; "signature" when
	// no stage is known to differ; "" when the signature is the
	// reference's.
	Stage string
	// Encoding says, when the observed signature is the reference's MAC
	// written in another form, which form; "" otherwise.
	Encoding string
}

// Right reports whether the observed signature is the reference's.
func (id Identification) Right() bool { return SameMAC(id.Given, id.Reference.Signature) }

// Names returns the names of the identified variants.
func (id Identification) Names() []string {
	var out []string
	for _, m := range id.Matches {
		out = append(out, m.Variant.Name)
	}
	return out
}

// Match is one variant that reproduces an observed output.
type Match struct {
	Variant Variant
	// Stages are what the variant computes.
	Stages []Stage
	// Stage is the first stage at which the variant's computation departs
	// from the reference's, or "signature" when every stage is the same
	// and the MAC is written differently.
	Stage string
}

// IdentifySign identifies the signing variants whose signature for in is the
// observed got.Signature. Only the signature is compared: it is a MAC over
// the stages, so a variant that reproduces it reproduces them, while how a
// signer writes the URL and headers around it is judged elsewhere (an
// equivalent request with the right signature is not a divergence). The
// stages got reports, when it reports any, say where it departs.
func IdentifySign(s Scheme, in Input, got Result) (Identification, error) {
	return identify(s, got.Stages, func(variant string) (Explanation, error) {
		res, err := s.Sign(in, variant)
		return Explanation{Given: got.Signature, Stages: res.Stages, Signature: res.Signature}, err
	})
}

// ExplainingScheme is a Scheme that can take a signed request apart.
type ExplainingScheme interface {
	Scheme
	Explainer
}

// IdentifySigned identifies the signing variants that produced the signature
// a signed request carries, by taking the request apart as each variant
// would (the Explainer of s). in.Request is the request as received; it
// carries no stages of its sender's.
func IdentifySigned(s ExplainingScheme, in Input) (Identification, error) {
	return identify(s, nil, func(variant string) (Explanation, error) { return s.Explain(in, variant) })
}

// identify applies the rule of Identification to what compute gives for the
// reference (variant "") and for each signing variant of s: the observed
// signature (Given) and what the variant computes.
func identify(s Scheme, reported []Stage, compute func(variant string) (Explanation, error)) (Identification, error) {
	ref, err := compute("")
	if err != nil {
		return Identification{}, err
	}
	id := Identification{Reference: Result{Stages: ref.Stages, Signature: ref.Signature}, Given: ref.Given}
	if id.Right() {
		return id, nil
	}
	id.Encoding = OtherForm(ref.Signature, ref.Given)
	for _, v := range s.Variants() {
		if !v.Signs {
			continue
		}
		vx, err := compute(v.Name)
		if err != nil || !SameMAC(vx.Signature, ref.Given) || SameMAC(vx.Signature, ref.Signature) {
			continue
		}
		id.Matches = append(id.Matches, Match{Variant: v, Stages: vx.Stages, Stage: Departure(ref.Stages, vx.Stages)})
	}
	id.Stage = id.departure(reported)
	return id, nil
}

// departure is Identification.Stage given the stages the observed output
// reports.
func (id Identification) departure(reported []Stage) string {
	if len(reported) > 0 {
		return Departure(id.Reference.Stages, reported)
	}
	if len(id.Matches) > 0 {
		return id.Matches[0].Stage
	}
	return "signature"
}

// IdentifyVerify identifies the verifying variants that decide about in as
// got does, where the reference decides otherwise. A refusal without a
// reason matches any refusal: a verifier under test need not classify.
func IdentifyVerify(s Scheme, in Input, got Verdict) []Variant {
	ref := s.Verify(in, "")
	var out []Variant
	for _, v := range s.Variants() {
		if !v.Verifies {
			continue
		}
		vv := s.Verify(in, v.Name)
		if SameDecision(vv, got) && !SameDecision(vv, ref) {
			out = append(out, v)
		}
	}
	return out
}

// SameDecision reports whether observed decides as want does: both accept,
// or both refuse for the same reason, or observed refuses without giving
// one.
func SameDecision(want, observed Verdict) bool {
	if want.Accept || observed.Accept {
		return want.Accept == observed.Accept
	}
	return observed.Reason == "" || observed.Reason == want.Reason
}

// Departure names the first of the reference's stages whose value the other
// computation gives differently, or "signature" when every stage both give
// is the same. A stage the other leaves out is not a departure: a signer
// under test need not report its stages.
func Departure(ref, other []Stage) string {
	for _, rs := range ref {
		for _, os := range other {
			if os.Name == rs.Name && os.Value != rs.Value {
				return rs.Name
			}
		}
	}
	return "signature"
}

// OtherForm says how got writes the same MAC bytes as want in another form
// ("the right MAC, written as URL-safe Base64"), or returns "" when the
// bytes differ or the two are written alike: the right HMAC badly written is
// a different bug from the wrong HMAC.
func OtherForm(want, got string) string {
	if want == got {
		return ""
	}
	if strings.EqualFold(want, got) {
		return "the right MAC with the case of its letters changed"
	}
	wb := decodeAny(want)
	if wb == nil {
		return ""
	}
	for _, d := range macDecoders {
		if b, err := d.decode(got); err == nil && bytes.Equal(b, wb) {
			return "the right MAC, written as " + d.name
		}
	}
	return ""
}

type macDecoder struct {
	name   string
	decode func(string) ([]byte, error)
}

// macDecoders are tried in order; hex comes first because a hex string is
// also valid Base64, never the other way round for a real signature.
var macDecoders = []macDecoder{
	{"hex", hex.DecodeString},
	{"standard Base64", base64.StdEncoding.DecodeString},
	{"standard Base64 without padding", base64.RawStdEncoding.DecodeString},
	{"URL-safe Base64", base64.URLEncoding.DecodeString},
	{"URL-safe Base64 without padding", base64.RawURLEncoding.DecodeString},
}

func decodeAny(s string) []byte {
	for _, d := range macDecoders {
		if b, err := d.decode(s); err == nil {
			return b
		}
	}
	return nil
}

// RefusingVerifiers names the known verifying variants that would refuse a
// request the reference verifier accepts: the servers, as the scheme's
// variants describe them, that answer a correct request with "access
// denied". It verifies the request as received, at its own time (the
// Explanation's Clock) and with the key it names, so it needs only the
// secret. accepted is false when the reference itself refuses the request
// at that time (the signature is wrong, or it says nothing of its time and
// the scheme needs one); then no variant is named.
func RefusingVerifiers(s ExplainingScheme, in Input) (accepted bool, refusing []Variant, err error) {
	ex, err := s.Explain(in, "")
	if err != nil {
		return false, nil, err
	}
	check := in
	if check.Credentials.AccessKey == "" {
		check.Credentials.AccessKey = ex.AccessKey
	}
	if check.Context.Time == "" {
		check.Context.Time = ex.Clock
	}
	if !s.Verify(check, "").Accept {
		return false, nil, nil
	}
	for _, v := range s.Variants() {
		if v.Verifies && !s.Verify(check, v.Name).Accept {
			refusing = append(refusing, v)
		}
	}
	return true, refusing, nil
}
