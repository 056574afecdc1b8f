// Package generators produces sigconform's generated vector files: for each
// scheme, one signer case per canonicalization edge and the verifier cases
// made by tampering with them.
//
// Generators are deterministic: inputs are enumerated, never random, so the
// same code writes the same bytes on every run and machine. A case is named
// after the edge it pins, so its id stays the same when generators change.
// Expected values come from the reference schemes and are marked
// `source: generated` until independent implementations agree with them.
package generators

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

// A Generator produces the generated vector files of one scheme.
type Generator struct {
	Scheme string
	Files  func() ([]*vectors.File, error)
}

var all []Generator

// register adds a scheme's generator; each scheme's file calls it from init.
func register(scheme string, files func() ([]*vectors.File, error)) {
	all = append(all, Generator{Scheme: scheme, Files: files})
	slices.SortFunc(all, func(a, b Generator) int { return strings.Compare(a.Scheme, b.Scheme) })
}

// All returns the generators, ordered by scheme.
func All() []Generator { return slices.Clone(all) }

// Files runs every generator and returns their files, ordered by path.
func Files() ([]*vectors.File, error) {
	var out []*vectors.File
	for _, g := range all {
		fs, err := g.Files()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.Scheme, err)
		}
		out = append(out, fs...)
	}
	slices.SortFunc(out, func(a, b *vectors.File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// SignSpec is a signer case to generate: its name within the file, what it
// pins, and its input.
type SignSpec struct {
	Name  string
	Title string
	Tags  []string
	Notes string
	Input sigconform.Input
}

// Builder accumulates the cases of one file.
type Builder struct {
	s    sigconform.Scheme
	file *vectors.File
	err  error
}

// NewBuilder starts the file <scheme>/<topic>.yaml.
func NewBuilder(schemeName, topic, description string) *Builder {
	s, ok := scheme.Lookup(schemeName)
	b := &Builder{s: s, file: &vectors.File{
		Format: vectors.FormatV2, Scheme: schemeName, Topic: topic, Description: description,
		Path: schemeName + "/" + topic + ".yaml",
	}}
	if !ok {
		b.err = fmt.Errorf("no reference scheme %q", schemeName)
	}
	return b
}

// Scheme is the reference scheme the builder computes with.
func (b *Builder) Scheme() sigconform.Scheme { return b.s }

// File returns the file built, with the description of every variant its
// cases name, or the first error met.
func (b *Builder) File() (*vectors.File, error) {
	if b.err != nil {
		return nil, fmt.Errorf("%s: %w", b.file.Path, b.err)
	}
	b.file.Variants = DescribeVariants(b.s, b.file.Cases)
	return b.file, nil
}

// inTurn writes the groups of a verify base's cases in turn, stopping at
// the first error.
func inTurn(groups ...func() error) error {
	for _, group := range groups {
		if err := group(); err != nil {
			return err
		}
	}
	return nil
}

// DescribeVariants describes, in the scheme's order, each variant of s that
// the cases name, citing its primary reference (see firstRef).
func DescribeVariants(s sigconform.Scheme, cases []vectors.Case) []vectors.VariantInfo {
	named := map[string]bool{}
	for _, c := range cases {
		for _, v := range c.Variants {
			named[v.Name] = true
		}
	}
	var out []vectors.VariantInfo
	for _, v := range s.Variants() {
		if named[v.Name] {
			out = append(out, vectors.VariantInfo{Name: v.Name, Summary: v.Summary, BugType: v.BugType, Refs: firstRef(v.Refs)})
		}
	}
	return out
}

func (b *Builder) id(name string) string { return b.file.Scheme + "/" + b.file.Topic + "/" + name }

// Sign adds a signer case computed by the reference, with the outcome of
// every signing variant whose signature differs from the reference's, and
// returns it (nil after an error).
func (b *Builder) Sign(sp SignSpec) *vectors.Case {
	if b.err != nil {
		return nil
	}
	sp.Input.Scheme = b.s.Name()
	res, err := b.s.Sign(sp.Input, "")
	if err != nil {
		b.err = fmt.Errorf("%s: reference cannot sign: %w", b.id(sp.Name), err)
		return nil
	}
	c := vectors.Case{
		ID: b.id(sp.Name), Title: sp.Title, Tags: sp.Tags, Kind: vectors.Sign,
		Source: vectors.Generated, Notes: sp.Notes,
		Credentials: sp.Input.Credentials, Request: sp.Input.Request, Context: sp.Input.Context,
		Expected: outcomeOf(res),
	}
	if c.Expected.URL == c.Request.URL {
		c.Expected.URL = "" // the scheme signs in a header; the URL is not its output
	}
	for _, v := range b.s.Variants() {
		if !v.Signs {
			continue
		}
		vr, err := b.s.Sign(sp.Input, v.Name)
		if err != nil || vr.Signature == res.Signature {
			continue
		}
		c.Variants = append(c.Variants, vectors.VariantOutcome{Name: v.Name, Refs: firstRef(v.Refs), Outcome: variantDelta(outcomeOf(vr), c.Expected, c.Request.URL)})
	}
	b.file.Cases = append(b.file.Cases, c)
	return &b.file.Cases[len(b.file.Cases)-1]
}

// firstRef keeps a variant's primary reference: generated files repeat a
// variant in hundreds of cases, and its full list of references is in the
// scheme package and in every report that names it.
func firstRef(refs []string) []string {
	if len(refs) == 0 {
		return nil
	}
	return refs[:1]
}

func outcomeOf(r sigconform.Result) vectors.Outcome {
	return vectors.Outcome{Stages: vectors.Stages(r.Stages), Signature: r.Signature, URL: r.URL, Headers: r.Headers}
}

// variantDelta keeps, of a variant's outcome, what a reader could not work
// out from the reference's: the name of the stage where the variant
// departs from it (the first that differs; its value and the later ones
// are the reference's to compute, which conform variants -case prints),
// the signature, which pins them all, and the URL where it differs by
// more than the signature written into it (a scheme that signs in the
// query). The headers are left out: a signing variant changes them only
// by the signature and by what its departing stage signs (an added
// X-Amz-Content-Sha256, the SignedHeaders of the Authorization), which
// its summary says; written out, they tripled the size of a SigV4 case.
// The reference's URL is the request's when its outcome has none (a
// scheme that signs in a header).
func variantDelta(v, ref vectors.Outcome, requestURL string) vectors.Outcome {
	refURL := ref.URL
	if refURL == "" {
		refURL = requestURL
	}
	for _, st := range v.Stages {
		if want, _ := ref.Stages.Get(st.Name); want != st.Value {
			v.Departs = st.Name
			break
		}
	}
	v.Stages, v.Headers = nil, nil
	if withoutSignature(v.URL, v.Signature) == withoutSignature(refURL, ref.Signature) {
		v.URL = ""
	}
	return v
}

// withoutSignature is s with the signature sig, as written or
// query-escaped, taken out: two URLs that differ only by the signature
// they carry, in whatever alphabet, are then equal.
func withoutSignature(s, sig string) string {
	if sig == "" {
		return s
	}
	s = strings.ReplaceAll(s, percent.Escape(sig), "\x00")
	return strings.ReplaceAll(s, sig, "\x00")
}

// VerifySpec is a verifier case to generate from a signed request.
type VerifySpec struct {
	Name   string
	Title  string
	Tags   []string
	Tamper string // what was done to the valid request; "" for the valid request itself
	// Want is the verdict the generator intends; the reference must agree
	// or generation fails, so a tampering that does not do what its name
	// says is caught here, not shipped.
	Want     sigconform.Verdict
	Disputed string
	Notes    string
	Input    sigconform.Input
}

// Verify adds a verifier case whose expected verdict is the reference's,
// with the verdict of every verifying variant that decides otherwise.
func (b *Builder) Verify(sp VerifySpec) *vectors.Case {
	if b.err != nil {
		return nil
	}
	sp.Input.Scheme = b.s.Name()
	got := b.s.Verify(sp.Input, "")
	if got.Accept != sp.Want.Accept || (!got.Accept && got.Reason != sp.Want.Reason) {
		b.err = fmt.Errorf("%s: reference verdict %+v, generator intends %+v", b.id(sp.Name), got, sp.Want)
		return nil
	}
	c := vectors.Case{
		ID: b.id(sp.Name), Title: sp.Title, Tags: sp.Tags, Kind: vectors.Verify,
		Source: vectors.Generated, Notes: sp.Notes, Tamper: sp.Tamper, Disputed: sp.Disputed,
		Credentials: sp.Input.Credentials, Request: sp.Input.Request, Context: sp.Input.Context,
		Expected: verdictOutcome(got),
	}
	for _, v := range b.s.Variants() {
		if !v.Verifies {
			continue
		}
		vv := b.s.Verify(sp.Input, v.Name)
		if vv.Accept != got.Accept || vv.Reason != got.Reason {
			c.Variants = append(c.Variants, vectors.VariantOutcome{Name: v.Name, Refs: firstRef(v.Refs), Outcome: verdictOutcome(vv)})
		}
		// Real verifiers that accept what the reference refuses (or the
		// reverse) make the case disputed; the file must say so.
		if vv.Accept != got.Accept && sp.Disputed == "" {
			b.err = fmt.Errorf("%s: variant %s decides %v, the reference %v: set Disputed", c.ID, v.Name, vv.Accept, got.Accept)
			return nil
		}
	}
	b.file.Cases = append(b.file.Cases, c)
	return &b.file.Cases[len(b.file.Cases)-1]
}

func verdictOutcome(v sigconform.Verdict) vectors.Outcome {
	if v.Accept {
		return vectors.Outcome{Verdict: vectors.Accept}
	}
	return vectors.Outcome{Verdict: vectors.Reject, Reason: v.Reason}
}

// rejected is the verdict of a refusal for reason r, the detail left to
// the verifier.
func rejected(r sigconform.Reason) sigconform.Verdict { return sigconform.Rejected(r, "") }
