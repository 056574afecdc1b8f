package vectors

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sigconform/sigconform"
	"go.yaml.in/yaml/v3"
)

// A v2 file is decoded from its YAML nodes by the code below rather than by
// yaml.v3's reflection: parsing the embedded corpus is most of what conform
// does before its first case, and walking the nodes once, checking each key
// and value as it goes, costs a fraction of decoding them and walking them
// again for unknown fields. It is also stricter: a string must be a string
// to every YAML reader, so a plain scalar that YAML 1.1 or 1.2 reads as
// another type (yes, 0755, 2024-01-02) is refused, with the advice to quote
// it.

// nodeDecoder decodes the nodes of one case (id, when known, names it in
// every error) or of the file's header.
type nodeDecoder struct {
	p  *parser
	id string
}

func (d *nodeDecoder) fail(n *yaml.Node, format string, args ...any) {
	d.p.add(n, d.id, format, args...)
}

// fields calls set with each key and value of mapping n, refusing a key not
// in known and a key given twice.
func (d *nodeDecoder) fields(n *yaml.Node, what string, known []string, set func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s must be a mapping, got %s", what, kindName(n))
		return
	}
	seen := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			d.fail(k, "unknown field %q (known: %s)", k.Value, strings.Join(slices.Sorted(slices.Values(known)), ", "))
		case slices.Contains(seen, k.Value):
			d.fail(k, "%q given twice", k.Value)
		default:
			seen = append(seen, k.Value)
			set(k.Value, v)
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return n.ShortTag() + " `" + n.Value + "`"
}

// str decodes a string scalar. A plain scalar that a YAML 1.1 or 1.2
// reader could take for another type is refused: other readers of the file
// would not see this string.
// strAs is str for a string type of the package's own (Kind, Source,
// Verdict, Reason).
func strAs[T ~string](d *nodeDecoder, n *yaml.Node, what string, dst *T) {
	var s string
	d.str(n, what, &s)
	*dst = T(s)
}

func (d *nodeDecoder) str(n *yaml.Node, what string, dst *string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, "%s must be a string, got %s", what, kindName(n))
		return
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
		(n.ShortTag() != "!!str" || ambiguous(n.Value)) {
		d.fail(n, "%s: YAML readers may read %s as another type than a string: quote it (\"%s\")", what, n.Value, n.Value)
		return
	}
	*dst = n.Value
}

func (d *nodeDecoder) strs(n *yaml.Node, what string, dst *[]string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "%s must be a list of strings, got %s", what, kindName(n))
		return
	}
	out := make([]string, len(n.Content))
	for i, c := range n.Content {
		d.str(c, what, &out[i])
	}
	*dst = out
}

// list decodes the list n, the value of key, into *dst, each element by
// item; what names the elements in the error for a value that is no list.
func list[T any](d *nodeDecoder, n *yaml.Node, key, what string, dst *[]T, item func(n *yaml.Node, x *T)) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "%s must be a list of %s, got %s", key, what, kindName(n))
		return
	}
	*dst = make([]T, len(n.Content))
	for i, c := range n.Content {
		item(c, &(*dst)[i])
	}
}

func (d *nodeDecoder) boolean(n *yaml.Node, what string, dst *bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		d.fail(n, "%s must be true or false, got %s", what, kindName(n))
		return
	}
	*dst = n.Value == "true"
	if v, err := strconv.ParseBool(n.Value); err == nil {
		*dst = v
	}
}

func (d *nodeDecoder) integer(n *yaml.Node, what string, dst *int) {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
		d.fail(n, "%s must be an integer, got %s", what, kindName(n))
		return
	}
	*dst = v
}

func (d *nodeDecoder) credentials(n *yaml.Node, dst *sigconform.Credentials) {
	d.fields(n, "credentials", []string{"access_key", "secret_key", "session_token"}, func(k string, v *yaml.Node) {
		switch k {
		case "access_key":
			d.str(v, k, &dst.AccessKey)
		case "secret_key":
			d.str(v, k, &dst.SecretKey)
		case "session_token":
			d.str(v, k, &dst.SessionToken)
		}
	})
}

func (d *nodeDecoder) context(n *yaml.Node, dst *sigconform.Context) {
	known := []string{"time", "region", "service", "signature_version", "signature_method", "expires",
		"normalize_path", "sign_body", "unsigned_payload", "presign_expires", "omit_session_token"}
	d.fields(n, "context", known, func(k string, v *yaml.Node) {
		switch k {
		case "time":
			d.str(v, k, &dst.Time)
		case "region":
			d.str(v, k, &dst.Region)
		case "service":
			d.str(v, k, &dst.Service)
		case "signature_version":
			d.str(v, k, &dst.SignatureVersion)
		case "signature_method":
			d.str(v, k, &dst.SignatureMethod)
		case "expires":
			d.str(v, k, &dst.Expires)
		case "normalize_path":
			var b bool
			d.boolean(v, k, &b)
			dst.NormalizePath = &b
		case "sign_body":
			d.boolean(v, k, &dst.SignBody)
		case "unsigned_payload":
			d.boolean(v, k, &dst.UnsignedPayload)
		case "presign_expires":
			d.integer(v, k, &dst.PresignExpires)
		case "omit_session_token":
			d.boolean(v, k, &dst.OmitSessionToken)
		}
	})
}

func (d *nodeDecoder) headers(n *yaml.Node, dst *[]sigconform.Header) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "headers must be a list of [name, value], got %s", kindName(n))
		return
	}
	out := make([]sigconform.Header, len(n.Content))
	for i, h := range n.Content {
		if h.Kind != yaml.SequenceNode || len(h.Content) != 2 {
			d.fail(h, "a header is [name, value], got %s", kindName(h))
			continue
		}
		d.str(h.Content[0], "header name", &out[i].Name)
		d.str(h.Content[1], "header value", &out[i].Value)
	}
	*dst = out
}

func (d *nodeDecoder) request(n *yaml.Node, dst *sigconform.Request) {
	d.fields(n, "request", []string{"method", "url", "headers", "body"}, func(k string, v *yaml.Node) {
		switch k {
		case "method":
			d.str(v, k, &dst.Method)
		case "url":
			d.str(v, k, &dst.URL)
		case "headers":
			d.headers(v, &dst.Headers)
		case "body":
			d.str(v, k, &dst.Body)
		}
	})
}

var outcomeKeys = []string{"stages", "departs", "signature", "url", "headers", "verdict", "reason"}

// outcomeField decodes one field of an outcome.
func (d *nodeDecoder) outcomeField(k string, v *yaml.Node, o *Outcome) {
	switch k {
	case "stages":
		if v.Kind != yaml.MappingNode {
			d.fail(v, "stages must be a mapping of stage name to string, got %s", kindName(v))
			return
		}
		o.Stages = make(Stages, 0, len(v.Content)/2)
		d.fields(v, "stages", stageKeys(v), func(name string, val *yaml.Node) {
			var s string
			d.str(val, "stage "+name, &s)
			o.Stages = append(o.Stages, sigconform.Stage{Name: name, Value: s})
		})
	case "departs":
		d.str(v, k, &o.Departs)
	case "signature":
		d.str(v, k, &o.Signature)
	case "url":
		d.str(v, k, &o.URL)
	case "headers":
		d.headers(v, &o.Headers)
	case "verdict":
		strAs(d, v, k, &o.Verdict)
	case "reason":
		strAs(d, v, k, &o.Reason)
	}
}

// stageKeys are the keys of a stages mapping: any name is a key here, the
// scheme's names are checked with the case (suites.CheckSet).
func stageKeys(n *yaml.Node) []string {
	keys := make([]string, 0, len(n.Content)/2)
	for i := 0; i < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

var caseKeys = []string{"id", "title", "tags", "kind", "source", "refs", "checked_by", "notes", "unchecked",
	"credentials", "request", "context", "tamper", "disputed", "expected", "variants"}

// provenance decodes k, one of kind, source, checked_by and unchecked: the
// fields a case shares with the file's defaults.
func (d *nodeDecoder) provenance(k string, v *yaml.Node, kind *Kind, source *Source, checkedBy *[]string, unchecked *string) {
	switch k {
	case "kind":
		strAs(d, v, k, kind)
	case "source":
		strAs(d, v, k, source)
	case "checked_by":
		d.strs(v, k, checkedBy)
	case "unchecked":
		d.str(v, k, unchecked)
	}
}

// caseV2 decodes the case at n.
func (d *nodeDecoder) caseV2(n *yaml.Node, cv *caseV2) {
	d.fields(n, "a case", caseKeys, func(k string, v *yaml.Node) {
		switch k {
		case "id":
			d.str(v, k, &cv.ID)
		case "title":
			d.str(v, k, &cv.Title)
		case "tags":
			d.strs(v, k, (*[]string)(&cv.Tags))
		case "kind", "source", "checked_by", "unchecked":
			d.provenance(k, v, &cv.Kind, &cv.Source, &cv.CheckedBy, &cv.Unchecked)
		case "refs":
			d.strs(v, k, &cv.Refs)
		case "notes":
			d.str(v, k, &cv.Notes)
		case "credentials":
			d.credentials(v, &cv.Credentials)
		case "request":
			d.request(v, &cv.Request)
		case "context":
			d.context(v, &cv.Context)
		case "tamper":
			d.str(v, k, &cv.Tamper)
		case "disputed":
			d.str(v, k, &cv.Disputed)
		case "expected":
			d.fields(v, "expected", outcomeKeys, func(k string, v *yaml.Node) { d.outcomeField(k, v, &cv.Expected) })
		case "variants":
			list(d, v, k, "outcomes", &cv.Variants, func(g *yaml.Node, grp *variantGroupV2) {
				d.fields(g, "a variant outcome", append([]string{"names", "refs"}, outcomeKeys...), func(k string, v *yaml.Node) {
					switch k {
					case "names":
						d.strs(v, k, &grp.Names)
					case "refs":
						d.strs(v, k, &grp.Refs)
					default:
						d.outcomeField(k, v, &grp.Outcome)
					}
				})
			})
		}
	})
}

// header decodes the file's own fields (all but cases) into fv.
func (d *nodeDecoder) header(root *yaml.Node, fv *fileV2) {
	known := []string{"format", "scheme", "topic", "description", "variants", "defaults", "cases"}
	d.fields(root, "a vector file", known, func(k string, v *yaml.Node) {
		switch k {
		case "format":
			d.str(v, k, &fv.Format)
		case "scheme":
			d.str(v, k, &fv.Scheme)
		case "topic":
			d.str(v, k, &fv.Topic)
		case "description":
			d.str(v, k, &fv.Description)
		case "variants":
			list(d, v, k, "variant descriptions", &fv.Variants, func(vn *yaml.Node, info *VariantInfo) {
				d.fields(vn, "a variant description", []string{"name", "summary", "bug_type", "refs"}, func(k string, v *yaml.Node) {
					switch k {
					case "name":
						d.str(v, k, &info.Name)
					case "summary":
						d.str(v, k, &info.Summary)
					case "bug_type":
						d.str(v, k, &info.BugType)
					case "refs":
						d.strs(v, k, &info.Refs)
					}
				})
			})
		case "defaults":
			def := &defaultsV2{}
			fv.Defaults = def
			d.fields(v, "defaults", []string{"kind", "source", "checked_by", "unchecked", "credentials", "context"}, func(k string, v *yaml.Node) {
				switch k {
				case "kind", "source", "checked_by", "unchecked":
					d.provenance(k, v, &def.Kind, &def.Source, &def.CheckedBy, &def.Unchecked)
				case "credentials":
					def.Credentials = &sigconform.Credentials{}
					d.credentials(v, def.Credentials)
				case "context":
					def.Context = &sigconform.Context{}
					d.context(v, def.Context)
				}
			})
		}
	})
}
