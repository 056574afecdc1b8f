package vectors

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
	"go.yaml.in/yaml/v3"
)

// The values of a vector file's format field. Marshal writes FormatV2;
// Parse reads both (v2.go describes the difference).
const (
	FormatV1 = "sigconform/v1"
	FormatV2 = "sigconform/v2"
)

// File is one vector file: the cases of one scheme and topic.
//
// In memory a file is always whole: each case holds its own credentials,
// context and variant outcomes, whatever the file hoisted or shared.
type File struct {
	Format      string `yaml:"format" json:"format"`
	Scheme      string `yaml:"scheme" json:"scheme"`
	Topic       string `yaml:"topic" json:"topic"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Variants describes each variant the cases name, once (format v2;
	// empty for a v1 file, which has no such list).
	Variants []VariantInfo `yaml:"-" json:"variants,omitempty"`
	Cases    []Case        `yaml:"cases" json:"cases"`

	// Path is the file's name as it was loaded.
	Path string `yaml:"-" json:"-"`
}

// VariantInfo describes a variant for the reader of a file: what it does,
// what kind of bug it is, and where it is shown.
type VariantInfo struct {
	Name    string `yaml:"name" json:"name"`
	Summary string `yaml:"summary" json:"summary"`
	// BugType classifies the divergence (one of BugTypes).
	BugType string `yaml:"bug_type,omitempty" json:"bug_type,omitempty"`
	// Refs are the references every case's outcome of the variant cites,
	// unless the case gives its own.
	Refs []string `yaml:"refs,omitempty" json:"refs,omitempty"`
}

// VariantInfo returns the description of the named variant.
func (f *File) VariantInfo(name string) (VariantInfo, bool) {
	for _, v := range f.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return VariantInfo{}, false
}

// Kind says whether a case tests a signer or a verifier.
type Kind string

// The kinds of case.
const (
	Sign   Kind = "sign"   // the implementation signs the request; its output must match
	Verify Kind = "verify" // the implementation checks the signed request; its verdict must match
)

// Source says how far an expected value can be trusted.
type Source string

// The sources of an expected value.
const (
	// Published values are quoted from a publication named in Refs.
	Published Source = "published"
	// CrossChecked values were reproduced by the independent
	// implementations named in CheckedBy.
	CrossChecked Source = "cross-checked"
	// Generated values were computed by sigconform's reference only.
	Generated Source = "generated"
)

// Case is one test vector.
type Case struct {
	// ID is scheme/topic/name. An ID is never reused for other content.
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	Tags  Tags   `yaml:"tags,omitempty" json:"tags,omitempty"`
	Kind  Kind   `yaml:"kind" json:"kind"`

	Source    Source   `yaml:"source" json:"source"`
	Refs      []string `yaml:"refs,omitempty" json:"refs,omitempty"`
	CheckedBy []string `yaml:"checked_by,omitempty" json:"checked_by,omitempty"`
	Notes     string   `yaml:"notes,omitempty" json:"notes,omitempty"`
	// Unchecked says, for a generated case, why fewer than two
	// independent implementations confirmed it in the conformance run.
	Unchecked string `yaml:"unchecked,omitempty" json:"unchecked,omitempty"`

	Credentials sigconform.Credentials `yaml:"credentials" json:"credentials"`
	Request     sigconform.Request     `yaml:"request" json:"request"`
	Context     sigconform.Context     `yaml:"context,omitempty" json:"context,omitempty"`

	// Tamper says, for a verify case made from a valid request, what was
	// done to it (one-bit, urlsafe-base64, param-added, ...).
	Tamper string `yaml:"tamper,omitempty" json:"tamper,omitempty"`
	// Disputed, when set, says that real verifiers disagree about this
	// case and how; the expected verdict is the reference's.
	Disputed string `yaml:"disputed,omitempty" json:"disputed,omitempty"`

	Expected Outcome `yaml:"expected" json:"expected"`
	// Variants are what known divergent implementations produce.
	Variants []VariantOutcome `yaml:"variants,omitempty" json:"variants,omitempty"`

	// Where the case starts in its file.
	File   string `yaml:"-" json:"-"`
	Line   int    `yaml:"-" json:"-"`
	Column int    `yaml:"-" json:"-"`
}

// Scheme is the first element of the case's ID.
func (c *Case) Scheme() string { s, _, _ := strings.Cut(c.ID, "/"); return s }

// Input is what a signer or verifier is given for this case.
func (c *Case) Input() sigconform.Input {
	return sigconform.Input{ID: c.ID, Scheme: c.Scheme(), Credentials: c.Credentials, Request: c.Request, Context: c.Context}
}

// Pos is the case's file:line:column.
func (c *Case) Pos() string {
	// Built in a buffer on the stack, so that the string is the one
	// allocation (every report line carries one).
	b := make([]byte, 0, 64)
	b = append(b, c.File...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(c.Line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(c.Column), 10)
	return string(b)
}

// Variant returns the outcome recorded for the named variant.
func (c *Case) Variant(name string) (VariantOutcome, bool) {
	for _, v := range c.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return VariantOutcome{}, false
}

// Outcome is what signing or verifying a case must produce. Sign cases fill
// the signing fields, verify cases the verdict.
type Outcome struct {
	Stages Stages `yaml:"stages,omitempty" json:"stages,omitempty"`
	// Departs, in a variant outcome, names the first stage at which the
	// variant's values differ from the expected ones; the values
	// themselves are the reference's to compute (conform variants -case).
	Departs   string              `yaml:"departs,omitempty" json:"departs,omitempty"`
	Signature string              `yaml:"signature,omitempty" json:"signature,omitempty"`
	URL       string              `yaml:"url,omitempty" json:"url,omitempty"`
	Headers   []sigconform.Header `yaml:"headers,omitempty" json:"headers,omitempty"`

	Verdict Verdict           `yaml:"verdict,omitempty" json:"verdict,omitempty"`
	Reason  sigconform.Reason `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// Verdict is accept or reject.
type Verdict string

// The verdicts.
const (
	Accept Verdict = "accept"
	Reject Verdict = "reject"
)

// VariantOutcome is what one named variant produces for a case.
type VariantOutcome struct {
	Name    string   `yaml:"name" json:"name"`
	Refs    []string `yaml:"refs,omitempty" json:"refs,omitempty"`
	Outcome `yaml:",inline"`
}

// Tags are free words for selecting cases, written on one line.
type Tags []string

// MarshalYAML writes the tags as a flow sequence: [a, b].
func (t Tags) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range t {
		v := &yaml.Node{}
		if err := v.Encode(s); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, v)
	}
	return n, nil
}

// Stages are the expected intermediate strings, written in YAML as a mapping
// from stage name to value in the scheme's order.
type Stages []sigconform.Stage

// Get returns the value of the stage named name.
func (s Stages) Get(name string) (string, bool) {
	for _, st := range s {
		if st.Name == name {
			return st.Value, true
		}
	}
	return "", false
}

// MarshalYAML writes the stages as an ordered mapping.
func (s Stages) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, st := range s {
		k, v := &yaml.Node{}, &yaml.Node{}
		if err := k.Encode(st.Name); err != nil {
			return nil, err
		}
		if err := v.Encode(st.Value); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, k, v)
	}
	return n, nil
}

// UnmarshalYAML reads an ordered mapping of stage names to strings.
func (s *Stages) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: stages must be a mapping of stage name to string", n.Line)
	}
	out := make(Stages, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: stage %q must be a string", v.Line, k.Value)
		}
		if _, dup := out.Get(k.Value); dup {
			return fmt.Errorf("line %d: stage %q given twice", k.Line, k.Value)
		}
		out = append(out, sigconform.Stage{Name: k.Value, Value: v.Value})
	}
	*s = out
	return nil
}
