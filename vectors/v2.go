package vectors

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"go.yaml.in/yaml/v3"
)

// Format v2 writes down once what v1 repeated in every case, so that a
// person can read a file top-down and a case is what is its own:
//
//   - variants, at the top, describes each variant the file's cases name:
//     its summary, its bug type and its references. A case's variant
//     outcome cites them by name and gives refs of its own only where
//     they differ.
//   - defaults holds the kind, the provenance (source with checked_by and
//     unchecked), the credentials and the context most of the file's cases
//     share; a case that gives one of these gives all of it, replacing the
//     default (a case that gives source gives its own checked_by and
//     unchecked, or none).
//   - a case's variants lists each distinct outcome once, with the names
//     of every variant that produces it, the stage where it departs from
//     the expected values (departs; the values are the reference's to
//     compute) and its signature, or its verdict.
//
// In memory nothing is shared: Parse expands every case.

// BugTypes are the values of a variant's bug_type, after Wycheproof's: the
// kind of mistake, so that a reader can tell a wrongly encoded character
// from a verifier that accepts too much.
var BugTypes = []string{
	"encoding",         // a character, escape or the signature written in another form
	"canonicalization", // the string to sign built from other parts, or in another order
	"legacy",           // an older version of the scheme, or its documentation's own mistake
	"lenient-verifier", // a verifier that accepts what the reference refuses
	"verifier-policy",  // a verifier that decides otherwise by a setting or policy of its own
}

// fileV2 is a v2 file as written, less its cases, which are read one by
// one (caseV2) so that each error can name its case.
type fileV2 struct {
	Format      string        `yaml:"format"`
	Scheme      string        `yaml:"scheme"`
	Topic       string        `yaml:"topic"`
	Description string        `yaml:"description,omitempty"`
	Variants    []VariantInfo `yaml:"variants,omitempty"`
	Defaults    *defaultsV2   `yaml:"defaults,omitempty"`
}

// defaultsV2 is what cases take when they do not say.
type defaultsV2 struct {
	Kind        Kind                    `yaml:"kind,omitempty"`
	Source      Source                  `yaml:"source,omitempty"`
	CheckedBy   []string                `yaml:"checked_by,omitempty"`
	Unchecked   string                  `yaml:"unchecked,omitempty"`
	Credentials *sigconform.Credentials `yaml:"credentials,omitempty"`
	Context     *sigconform.Context     `yaml:"context,omitempty"`
}

// caseV2 is a case as written in v2: Case with its variant outcomes
// grouped.
type caseV2 struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	Tags  Tags   `yaml:"tags,omitempty"`
	Kind  Kind   `yaml:"kind"`

	Source    Source   `yaml:"source"`
	Refs      []string `yaml:"refs,omitempty"`
	CheckedBy []string `yaml:"checked_by,omitempty"`
	Notes     string   `yaml:"notes,omitempty"`
	Unchecked string   `yaml:"unchecked,omitempty"`

	Credentials sigconform.Credentials `yaml:"credentials"`
	Request     sigconform.Request     `yaml:"request"`
	Context     sigconform.Context     `yaml:"context,omitempty"`

	Tamper   string `yaml:"tamper,omitempty"`
	Disputed string `yaml:"disputed,omitempty"`

	Expected Outcome          `yaml:"expected"`
	Variants []variantGroupV2 `yaml:"variants,omitempty"`
}

// variantGroupV2 is one outcome and the variants that produce it.
type variantGroupV2 struct {
	Names   []string `yaml:"names"`
	Refs    []string `yaml:"refs,omitempty"`
	Outcome `yaml:",inline"`
}

// errNotFast is parseV2's answer when the file, read by fastParseHead,
// turns out to leave the subset fastParse reads after its head: Parse
// then reads it with yaml.v3.
var errNotFast = errors.New("not in fastParse's subset")

// parseV2 reads the mapping root of a v2 file. With fp, the parser that
// read root's head, the cases are read from it one at a time (see
// fastParseHead).
func (p *parser) parseV2(root *yaml.Node, fp *fastParser) (*File, error) {
	casesNode := mapValue(root, "cases")
	var next func() (*yaml.Node, bool)
	next, fp = caseSourceV2(casesNode, fp)
	// fail returns the errors found before the cases; a file that leaves
	// the subset later on is read by yaml.v3 instead, which may find a
	// syntax error there.
	fail := func() (*File, error) {
		if fp != nil {
			for _, ok := fp.nextCase(); ok; _, ok = fp.nextCase() {
			}
			if !fp.end() {
				return nil, errNotFast
			}
		}
		return nil, p.err()
	}
	var fv fileV2
	(&nodeDecoder{p: p}).header(root, &fv)
	if len(p.errs) > 0 {
		return fail()
	}
	f := &File{Format: fv.Format, Scheme: fv.Scheme, Topic: fv.Topic, Description: fv.Description, Variants: fv.Variants, Path: p.file}
	p.checkHeader(root, f)
	p.checkVariantInfos(mapValue(root, "variants"), fv.Variants)
	def := defaultsV2{}
	if fv.Defaults != nil {
		def = *fv.Defaults
	}
	if casesNode == nil || casesNode.Kind != yaml.SequenceNode {
		p.add(root, "", "cases must be a list of cases")
		return fail()
	}
	f.Cases = make([]Case, 0, len(casesNode.Content))
	seen := map[string]int{}
	for {
		cn, ok := next()
		if !ok {
			break
		}
		if p.full() {
			p.stop(cn)
			return nil, p.err()
		}
		p.addCaseV2(cn, f, &def, seen)
	}
	if fp != nil && !fp.end() {
		return nil, errNotFast
	}
	if len(p.errs) > 0 {
		return nil, p.err()
	}
	return f, nil
}

// caseSourceV2 returns the function that gives the case nodes of
// casesNode one at a time: fp's own, when fp is the parser that read
// them, and then fp is returned; the sequence's content otherwise, and
// then the returned parser is nil.
func caseSourceV2(casesNode *yaml.Node, fp *fastParser) (func() (*yaml.Node, bool), *fastParser) {
	if fp != nil && fp.cases != nil && fp.cases == casesNode {
		return fp.nextCase, fp
	}
	i := 0
	return func() (*yaml.Node, bool) {
		if casesNode == nil || i >= len(casesNode.Content) {
			return nil, false
		}
		i++
		return casesNode.Content[i-1], true
	}, nil
}

// addCaseV2 decodes the case node cn, expands and checks it, and appends
// it to f.Cases unless it has errors or repeats an id; seen maps each id
// appended so far to its index.
func (p *parser) addCaseV2(cn *yaml.Node, f *File, def *defaultsV2, seen map[string]int) {
	id := ""
	if v := mapValue(cn, "id"); v != nil {
		id = v.Value
	}
	before := len(p.errs)
	var cv caseV2
	(&nodeDecoder{p: p, id: id}).caseV2(cn, &cv)
	if len(p.errs) > before {
		return
	}
	c, variantNodes := p.expandV2(cn, f, def, &cv)
	p.checkCase(cn, f, &c, variantNodes)
	if prev, dup := seen[c.ID]; dup && c.ID != "" {
		p.add(cn, c.ID, "duplicate id: first defined at %s", f.Cases[prev].Pos())
		return
	}
	f.Cases = append(f.Cases, c)
	seen[c.ID] = len(f.Cases) - 1
}

// expandV2 makes the whole case of cv: the defaults it does not override,
// and one VariantOutcome per variant name, in the order of the file's
// variants. It returns with it the node each variant outcome came from.
func (p *parser) expandV2(cn *yaml.Node, f *File, def *defaultsV2, cv *caseV2) (Case, []*yaml.Node) {
	c := Case{
		ID: cv.ID, Title: cv.Title, Tags: cv.Tags, Kind: cv.Kind,
		Source: cv.Source, Refs: cv.Refs, CheckedBy: cv.CheckedBy, Notes: cv.Notes, Unchecked: cv.Unchecked,
		Credentials: cv.Credentials, Request: cv.Request, Context: cv.Context,
		Tamper: cv.Tamper, Disputed: cv.Disputed, Expected: cv.Expected,
		File: p.file, Line: cn.Line, Column: cn.Column,
	}
	has := func(key string) bool { return mapValue(cn, key) != nil }
	if !has("kind") {
		c.Kind = def.Kind
	}
	if !has("source") {
		for _, k := range []string{"checked_by", "unchecked"} {
			if has(k) {
				p.add(at(cn, k), c.ID, "%s without source: a case that gives its provenance gives source too", k)
			}
		}
		c.Source, c.CheckedBy, c.Unchecked = def.Source, def.CheckedBy, def.Unchecked
	}
	if !has("credentials") && def.Credentials != nil {
		c.Credentials = *def.Credentials
	}
	if !has("context") && def.Context != nil {
		c.Context = *def.Context
	}
	var nodes []*yaml.Node
	vn := mapValue(cn, "variants")
	for i, g := range cv.Variants {
		node := cn
		if vn != nil && i < len(vn.Content) {
			node = vn.Content[i]
		}
		if len(g.Names) == 0 {
			p.add(node, c.ID, "a variant outcome needs names: the variants that produce it")
		}
		for _, name := range g.Names {
			info, ok := f.VariantInfo(name)
			if !ok && name != "" {
				p.add(node, c.ID, "variant %q is not described in the file's variants", name)
			}
			refs := g.Refs
			if refs == nil {
				refs = info.Refs
			}
			c.Variants = append(c.Variants, VariantOutcome{Name: name, Refs: refs, Outcome: g.Outcome})
			nodes = append(nodes, node)
		}
	}
	// The file's order, so that a case reads its variants, and a
	// consumer meets them, in the same order whatever the grouping.
	order := func(name string) int {
		return slices.IndexFunc(f.Variants, func(v VariantInfo) bool { return v.Name == name })
	}
	idx := make([]int, len(c.Variants))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return order(c.Variants[a].Name) - order(c.Variants[b].Name) })
	vs, ns := make([]VariantOutcome, len(idx)), make([]*yaml.Node, len(idx))
	for i, j := range idx {
		vs[i], ns[i] = c.Variants[j], nodes[j]
	}
	if len(vs) == 0 {
		vs = nil
	}
	c.Variants = vs
	return c, ns
}

func (p *parser) checkVariantInfos(n *yaml.Node, infos []VariantInfo) {
	seen := map[string]bool{}
	for i, v := range infos {
		node := n
		if n != nil && i < len(n.Content) {
			node = n.Content[i]
		}
		switch {
		case !namePart.MatchString(v.Name):
			p.add(node, "", "variant name must be a lowercase name, got %q", v.Name)
		case seen[v.Name]:
			p.add(node, "", "variant %q described twice", v.Name)
		}
		seen[v.Name] = true
		if strings.TrimSpace(v.Summary) == "" {
			p.add(node, "", "variant %q needs a summary: what it does differently", v.Name)
		}
		if v.BugType != "" && !slices.Contains(BugTypes, v.BugType) {
			p.add(at(node, "bug_type"), "", "variant %q: bug_type must be one of %s, got %q", v.Name, strings.Join(BugTypes, ", "), v.BugType)
		}
	}
}

// marshalV2 builds the v2 document of f.
func marshalV2(f *File) (*yaml.Node, error) {
	infos, err := variantInfos(f)
	if err != nil {
		return nil, err
	}
	def := chooseDefaults(f.Cases)
	root := mapping()
	add(root, "format", str(FormatV2))
	add(root, "scheme", str(f.Scheme))
	add(root, "topic", str(f.Topic))
	if f.Description != "" {
		add(root, "description", str(f.Description))
	}
	if len(infos) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, v := range infos {
			m := mapping()
			add(m, "name", str(v.Name))
			add(m, "summary", str(v.Summary))
			if v.BugType != "" {
				add(m, "bug_type", str(v.BugType))
			}
			if len(v.Refs) > 0 {
				add(m, "refs", strs(v.Refs))
			}
			seq.Content = append(seq.Content, m)
		}
		add(root, "variants", seq)
	}
	if d := def.node(); d != nil {
		add(root, "defaults", d)
	}
	cases := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range f.Cases {
		n, err := caseNode(&f.Cases[i], &def, infos)
		if err != nil {
			return nil, err
		}
		cases.Content = append(cases.Content, n)
	}
	add(root, "cases", cases)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, nil
}

// variantInfos returns the descriptions of the variants f's cases name, in
// f.Variants' order (the scheme's, in generated files), which is the order
// Parse gives each case's variant outcomes: with refs, where the
// description has none, those the cases cite most.
func variantInfos(f *File) ([]VariantInfo, error) {
	refsSeen := map[string]map[string]int{}
	for _, c := range f.Cases {
		for _, v := range c.Variants {
			if refsSeen[v.Name] == nil {
				refsSeen[v.Name] = map[string]int{}
			}
			refsSeen[v.Name][strings.Join(v.Refs, "\n")]++
		}
	}
	var out []VariantInfo
	for _, info := range f.Variants {
		if refsSeen[info.Name] == nil {
			continue
		}
		if strings.TrimSpace(info.Summary) == "" {
			return nil, fmt.Errorf("%s: variant %q has no summary: a v2 file describes each variant it names", f.Path, info.Name)
		}
		if info.Refs == nil {
			info.Refs = mostCited(refsSeen[info.Name])
		}
		out = append(out, info)
		delete(refsSeen, info.Name)
	}
	if len(refsSeen) > 0 {
		return nil, fmt.Errorf("%s: variants %s have no description (File.Variants): a v2 file describes each variant it names", f.Path, strings.Join(slices.Sorted(keys(refsSeen)), ", "))
	}
	return out, nil
}

// mostCited returns the list of refs cited most often, the first in
// lexical order among equals.
func mostCited(counts map[string]int) []string {
	best, n := "", -1
	for _, k := range slices.Sorted(keys(counts)) {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	if best == "" {
		return nil
	}
	return strings.Split(best, "\n")
}

func keys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// defaultsOut is what chooseDefaults hoists, with the key each value is
// compared by.
type defaultsOut struct {
	kind        Kind
	source      Source
	checkedBy   []string
	unchecked   string
	credentials *sigconform.Credentials
	context     *sigconform.Context
}

// chooseDefaults picks, field by field, the value most cases share, when
// at least two do.
func chooseDefaults(cases []Case) defaultsOut {
	var d defaultsOut
	if k, ok := mostCommon(cases, func(c *Case) Kind { return c.Kind }); ok {
		d.kind = k
	}
	type prov struct {
		s    Source
		c, u string
	}
	if pv, ok := mostCommon(cases, func(c *Case) prov { return prov{c.Source, strings.Join(c.CheckedBy, "\n"), c.Unchecked} }); ok {
		d.source, d.unchecked = pv.s, pv.u
		if pv.c != "" {
			d.checkedBy = strings.Split(pv.c, "\n")
		}
	}
	if cr, ok := mostCommon(cases, func(c *Case) sigconform.Credentials { return c.Credentials }); ok {
		d.credentials = &cr
	}
	type ctxKey struct {
		sigconform.Context
		np int // NormalizePath: 0 unset, 1 false, 2 true
	}
	if ck, ok := mostCommon(cases, func(c *Case) ctxKey {
		k := ctxKey{Context: c.Context}
		if np := c.Context.NormalizePath; np != nil {
			k.np = 1
			if *np {
				k.np = 2
			}
		}
		k.NormalizePath = nil
		return k
	}); ok {
		ctx := ck.Context
		if ck.np > 0 {
			v := ck.np == 2
			ctx.NormalizePath = &v
		}
		d.context = &ctx
	}
	return d
}

// mostCommon returns the value of key most cases have, the first met among
// equals, when at least two cases have it.
func mostCommon[K comparable](cases []Case, key func(*Case) K) (K, bool) {
	counts := map[K]int{}
	var best K
	n := 0
	for i := range cases {
		k := key(&cases[i])
		counts[k]++
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best, n >= 2
}

func (d *defaultsOut) node() *yaml.Node {
	m := mapping()
	if d.kind != "" {
		add(m, "kind", str(string(d.kind)))
	}
	if d.source != "" {
		add(m, "source", str(string(d.source)))
		if len(d.checkedBy) > 0 {
			add(m, "checked_by", strs(d.checkedBy))
		}
		if d.unchecked != "" {
			add(m, "unchecked", str(d.unchecked))
		}
	}
	if d.credentials != nil {
		add(m, "credentials", credentialsNode(*d.credentials))
	}
	if d.context != nil {
		add(m, "context", contextNode(*d.context))
	}
	if len(m.Content) == 0 {
		return nil
	}
	return m
}

func caseNode(c *Case, d *defaultsOut, infos []VariantInfo) (*yaml.Node, error) {
	m := mapping()
	add(m, "id", str(c.ID))
	add(m, "title", str(c.Title))
	if len(c.Tags) > 0 {
		add(m, "tags", flow(strs(c.Tags)))
	}
	if c.Kind != d.kind {
		add(m, "kind", str(string(c.Kind)))
	}
	ownProvenance := c.Source != d.source || !slices.Equal(c.CheckedBy, d.checkedBy) || c.Unchecked != d.unchecked
	if ownProvenance {
		add(m, "source", str(string(c.Source)))
	}
	if len(c.Refs) > 0 {
		add(m, "refs", strs(c.Refs))
	}
	if ownProvenance && len(c.CheckedBy) > 0 {
		add(m, "checked_by", strs(c.CheckedBy))
	}
	if c.Notes != "" {
		add(m, "notes", str(c.Notes))
	}
	if ownProvenance && c.Unchecked != "" {
		add(m, "unchecked", str(c.Unchecked))
	}
	if d.credentials == nil || c.Credentials != *d.credentials {
		add(m, "credentials", credentialsNode(c.Credentials))
	}
	add(m, "request", requestNode(c.Request))
	if d.context == nil && c.Context != (sigconform.Context{}) || d.context != nil && !sameContext(c.Context, *d.context) {
		add(m, "context", contextNode(c.Context))
	}
	if c.Tamper != "" {
		add(m, "tamper", str(c.Tamper))
	}
	if c.Disputed != "" {
		add(m, "disputed", str(c.Disputed))
	}
	add(m, "expected", outcomeNode(c.Expected, mapping()))
	if len(c.Variants) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, g := range groupVariants(c.Variants, infos) {
			gm := mapping()
			add(gm, "names", flow(strs(g.Names)))
			if g.Refs != nil {
				add(gm, "refs", strs(g.Refs))
			}
			seq.Content = append(seq.Content, outcomeNode(g.Outcome, gm))
		}
		add(m, "variants", seq)
	}
	return m, nil
}

// groupVariants lists each distinct outcome once, with the names of the
// variants that produce it, ordered by the first of them; refs are given
// only where they are not the file's for the variant.
func groupVariants(vs []VariantOutcome, infos []VariantInfo) []variantGroupV2 {
	var out []variantGroupV2
	for _, v := range vs {
		var refs []string
		if i := slices.IndexFunc(infos, func(info VariantInfo) bool { return info.Name == v.Name }); i < 0 || !slices.Equal(infos[i].Refs, v.Refs) {
			refs = v.Refs
			if refs == nil {
				refs = []string{} // none, where the file's description has some
			}
		}
		j := slices.IndexFunc(out, func(g variantGroupV2) bool {
			return sameOutcome(g.Outcome, v.Outcome) && slices.Equal(g.Refs, refs) && (g.Refs == nil) == (refs == nil)
		})
		if j < 0 {
			out = append(out, variantGroupV2{Refs: refs, Outcome: v.Outcome})
			j = len(out) - 1
		}
		out[j].Names = append(out[j].Names, v.Name)
	}
	return out
}

func sameOutcome(a, b Outcome) bool {
	return slices.Equal(a.Stages, b.Stages) && a.Departs == b.Departs && sigconform.SameMAC(a.Signature, b.Signature) && a.URL == b.URL &&
		slices.Equal(a.Headers, b.Headers) && a.Verdict == b.Verdict && a.Reason == b.Reason
}

func sameContext(a, b sigconform.Context) bool {
	an, bn := a.NormalizePath, b.NormalizePath
	a.NormalizePath, b.NormalizePath = nil, nil
	if a != b || (an == nil) != (bn == nil) {
		return false
	}
	return an == nil || *an == *bn
}

// The node builders below write the v2 layout directly; they set only what
// the YAML emitter needs (kind, tag, style), and str chooses the style.

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, str(key), v) }

// str is a string scalar: a literal block when it spans lines, quoted when
// a YAML 1.1 or 1.2 reader could take it for another type (the emitter
// quotes, besides, what plain style cannot hold).
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case ambiguous(s):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func strs(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range ss {
		n.Content = append(n.Content, str(s))
	}
	return n
}

func flow(n *yaml.Node) *yaml.Node { n.Style = yaml.FlowStyle; return n }

func scalar(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }

func headersNode(hs []sigconform.Header) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, h := range hs {
		n.Content = append(n.Content, flow(strs([]string{h.Name, h.Value})))
	}
	return n
}

func credentialsNode(c sigconform.Credentials) *yaml.Node {
	m := mapping()
	add(m, "access_key", str(c.AccessKey))
	add(m, "secret_key", str(c.SecretKey))
	if c.SessionToken != "" {
		add(m, "session_token", str(c.SessionToken))
	}
	return m
}

func requestNode(r sigconform.Request) *yaml.Node {
	m := mapping()
	add(m, "method", str(r.Method))
	add(m, "url", str(r.URL))
	if len(r.Headers) > 0 {
		add(m, "headers", headersNode(r.Headers))
	}
	if r.Body != "" {
		add(m, "body", str(r.Body))
	}
	return m
}

// contextNode writes the fields of c that are set, in sigconform.Context's
// order; TestContextNodeHasEveryField keeps it in step with the type.
func contextNode(c sigconform.Context) *yaml.Node {
	m := mapping()
	for _, f := range []struct{ key, v string }{
		{"time", c.Time}, {"region", c.Region}, {"service", c.Service},
		{"signature_version", c.SignatureVersion}, {"signature_method", c.SignatureMethod}, {"expires", c.Expires},
	} {
		if f.v != "" {
			add(m, f.key, str(f.v))
		}
	}
	if c.NormalizePath != nil {
		add(m, "normalize_path", scalar("!!bool", fmt.Sprint(*c.NormalizePath)))
	}
	if c.SignBody {
		add(m, "sign_body", scalar("!!bool", "true"))
	}
	if c.UnsignedPayload {
		add(m, "unsigned_payload", scalar("!!bool", "true"))
	}
	if c.PresignExpires != 0 {
		add(m, "presign_expires", scalar("!!int", fmt.Sprint(c.PresignExpires)))
	}
	if c.OmitSessionToken {
		add(m, "omit_session_token", scalar("!!bool", "true"))
	}
	if len(m.Content) == 0 {
		m.Style = yaml.FlowStyle // context: {}, to override a default with none
	}
	return m
}

// outcomeNode adds o's fields to m.
func outcomeNode(o Outcome, m *yaml.Node) *yaml.Node {
	if len(o.Stages) > 0 {
		st := mapping()
		for _, s := range o.Stages {
			add(st, s.Name, str(s.Value))
		}
		add(m, "stages", st)
	}
	if o.Departs != "" {
		add(m, "departs", str(o.Departs))
	}
	if o.Signature != "" {
		add(m, "signature", str(o.Signature))
	}
	if o.URL != "" {
		add(m, "url", str(o.URL))
	}
	if len(o.Headers) > 0 {
		add(m, "headers", headersNode(o.Headers))
	}
	if o.Verdict != "" {
		add(m, "verdict", str(string(o.Verdict)))
	}
	if o.Reason != "" {
		add(m, "reason", str(string(o.Reason)))
	}
	return m
}
