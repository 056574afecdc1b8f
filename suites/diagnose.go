package suites

import (
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
	// A copy: taking got's own address would move it to the heap on
	// every call, the passing ones too.
	kept := got
	res.Got = &kept
	res.Mismatches = ms
	res.Stage = ms[0].Field
	v, stage, encoding := signVariant(c, got)
	res.Variant = v
	// The signer may not have said where it went wrong; the variant it
	// matches does.
	if v != nil && stage != "" && ms[0].Field == "signature" {
		res.Stage = stage
	}
	res.Encoding = encoding
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

// signVariant names the variant the signer's output reproduces, as the
// scheme identifies it, and the stage at which the vector pins that
// variant's departure.
func signVariant(c *vectors.Case, got sigconform.Result) (*VariantMatch, string, string) {
	ref, ok := scheme.Lookup(c.Scheme())
	if !ok {
		return nil, "", ""
	}
	id, err := sigconform.IdentifySign(ref, c.Input(), got)
	if err != nil {
		return nil, "", ""
	}
	m, ok := preferRecorded(c, id.Matches)
	if !ok {
		return nil, "", id.Encoding
	}
	stage := ""
	// The report names a stage the signer did not report only when the
	// vector pins it: the vector records where a variant departs.
	if o, ok := c.Variant(m.Variant.Name); ok && (o.Departs != "" || len(o.Stages) > 0) {
		stage = "stage " + m.Stage
	}
	return variantMatch(ref, m.Variant.Name, recordedRefs(c, m.Variant.Name)), stage, id.Encoding
}

// preferRecorded picks, among the identified variants, the first one the
// vector records an outcome for (in the vector's order), or else the
// scheme's first: the vector's record comes with the references that show
// the behaviour on this very input.
func preferRecorded(c *vectors.Case, ms []sigconform.Match) (sigconform.Match, bool) {
	for _, v := range c.Variants {
		for _, m := range ms {
			if m.Variant.Name == v.Name {
				return m, true
			}
		}
	}
	if len(ms) == 0 {
		return sigconform.Match{}, false
	}
	return ms[0], true
}

func recordedRefs(c *vectors.Case, name string) []string {
	o, _ := c.Variant(name)
	return o.Refs
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

// diagnoseVerify compares a verifier's verdict with the case and names the
// known variant, if any, that decides as the verifier did where the
// reference does not.
func diagnoseVerify(res *CaseResult, c *vectors.Case, got sigconform.Verdict) {
	ms := c.Expected.CompareVerdict(got)
	if len(ms) == 0 {
		res.Status = Pass
		return
	}
	res.Status = Fail
	kept := got // as in diagnoseSign
	res.Verdict = &kept
	res.Mismatches = ms
	res.Stage = ms[0].Field
	ref, ok := scheme.Lookup(c.Scheme())
	if !ok {
		return
	}
	var matches []sigconform.Match
	for _, v := range sigconform.IdentifyVerify(ref, c.Input(), got) {
		matches = append(matches, sigconform.Match{Variant: v})
	}
	if m, ok := preferRecorded(c, matches); ok {
		res.Variant = variantMatch(ref, m.Variant.Name, recordedRefs(c, m.Variant.Name))
	}
}
