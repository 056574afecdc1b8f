package vectors

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/parallel"
	"go.yaml.in/yaml/v3"
)

// Error is a problem with a vector file, placed at file:line:column and, where
// it is known, the case it belongs to.
type Error struct {
	File   string
	Line   int
	Column int
	ID     string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.ID != "" {
		fmt.Fprintf(&b, ": case %s", e.ID)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Set is a loaded collection of vector files.
type Set struct {
	Files []*File
	byID  map[string]*Case
}

// Cases returns every case, file by file in the order loaded.
func (s *Set) Cases() []*Case {
	var out []*Case
	for _, f := range s.Files {
		for i := range f.Cases {
			out = append(out, &f.Cases[i])
		}
	}
	return out
}

// Lookup returns the case with the given ID, or nil.
func (s *Set) Lookup(id string) *Case { return s.byID[id] }

// Load reads every *.yaml file below the root of fsys, in lexical order, and
// checks them as one set (IDs are unique across files). All problems found are
// returned, joined; each is an *Error.
func Load(fsys fs.FS) (*Set, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && path.Ext(p) == ".yaml" {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no .yaml vector files found")
	}
	files, errs := parseAll(fsys, names)
	set := &Set{byID: map[string]*Case{}}
	for _, f := range files {
		if f == nil {
			continue
		}
		for i := range f.Cases {
			c := &f.Cases[i]
			if prev, dup := set.byID[c.ID]; dup {
				errs = append(errs, &Error{File: c.File, Line: c.Line, Column: c.Column, ID: c.ID,
					Msg: "duplicate id: first defined at " + prev.Pos()})
				continue
			}
			set.byID[c.ID] = c
		}
		set.Files = append(set.Files, f)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return set, nil
}

// parseAll parses the named files in parallel: YAML parsing is most of the
// cost of starting conform, and the files are independent. The results keep
// the order of names.
func parseAll(fsys fs.FS, names []string) ([]*File, []error) {
	files := make([]*File, len(names))
	errs := make([]error, len(names))
	parallel.Each(len(names), func(i int) {
		data, err := readRegular(fsys, names[i], MaxFileSize)
		if err == nil {
			files[i], err = Parse(names[i], data)
		}
		errs[i] = err
	})
	return files, slices.DeleteFunc(errs, func(e error) bool { return e == nil })
}

// Parse reads one vector file strictly: an unknown field, a duplicate id, a
// missing or malformed value is an error naming file:line:column and the case.
func Parse(name string, data []byte) (*File, error) {
	if err := checkText(name, data); err != nil {
		return nil, err
	}
	if fp, fast := fastParseHead(data); fast != nil && isV2(fast) {
		// The layout Marshal writes, read without yaml.v3's general
		// parser (fastyaml.go): most of the time loading takes. Its
		// cases are read one at a time, so that a file with too many
		// errors is read no further than the cap.
		f, err := (&parser{file: name}).parseV2(fast.Content[0], fp)
		if err != errNotFast {
			return f, err
		}
	}
	doc, err := decodeDocument(name, data)
	if err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: 1, Msg: "a vector file is a YAML mapping with format, scheme, topic and cases"}
	}
	root := doc.Content[0]
	p := &parser{file: name}
	if v := mapValue(root, "format"); v != nil && v.Value == FormatV2 {
		return p.parseV2(root, nil)
	}
	return p.parseV1(root)
}

// decodeDocument reads the one YAML document of a vector file.
func decodeDocument(name string, data []byte) (yaml.Node, error) {
	var doc yaml.Node
	if !hasDocumentMarker(data) {
		// One document for certain: yaml.Unmarshal reads it from the
		// bytes, without the Decoder's buffered reader, a tenth faster.
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return doc, syntaxError(name, data, err)
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&doc); err != nil && err != io.EOF {
			return doc, syntaxError(name, data, err)
		}
		// A second document (after ---) would be dropped by a reader that
		// takes the first, and read by one that takes them all: refuse
		// it, so that every reader of the file sees the same cases.
		var extra yaml.Node
		switch err := dec.Decode(&extra); {
		case err == nil:
			return doc, &Error{File: name, Line: extra.Line, Column: extra.Column, Msg: "a second YAML document starts here: a vector file holds exactly one document (split it into two files)"}
		case err != io.EOF:
			return doc, syntaxError(name, data, err)
		}
	}
	return doc, nil
}

// parseV1 reads a file in format sigconform/v1 from its root mapping.
func (p *parser) parseV1(root *yaml.Node) (*File, error) {
	name := p.file
	// The file's own fields are checked apart from its cases, which are
	// checked one by one so that each error can name its case.
	casesNode := mapValue(root, "cases")
	header := *root
	header.Content = nil
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "cases" {
			header.Content = append(header.Content, root.Content[i], root.Content[i+1])
		}
	}
	p.known(&header, reflect.TypeFor[File](), "")
	if len(p.errs) > 0 {
		return nil, p.err()
	}
	var f File
	if err := header.Decode(&f); err != nil {
		p.decodeError(root, "", err)
	}
	f.Path = name
	p.checkHeader(root, &f)
	if casesNode == nil || casesNode.Kind != yaml.SequenceNode {
		p.add(root, "", "cases must be a list of cases")
		return nil, p.err()
	}
	seen := map[string]*Case{}
	for _, cn := range casesNode.Content {
		if p.full() {
			p.stop(cn)
			break
		}
		id := ""
		if v := mapValue(cn, "id"); v != nil {
			id = v.Value
		}
		before := len(p.errs)
		p.known(cn, reflect.TypeFor[Case](), id)
		if len(p.errs) > before {
			continue
		}
		var c Case
		if err := cn.Decode(&c); err != nil {
			p.decodeError(cn, id, err)
			continue
		}
		c.File, c.Line, c.Column = name, cn.Line, cn.Column
		var variantNodes []*yaml.Node
		if vn := mapValue(cn, "variants"); vn != nil {
			variantNodes = vn.Content
		}
		p.checkCase(cn, &f, &c, variantNodes)
		if prev, dup := seen[c.ID]; dup && c.ID != "" {
			p.add(cn, c.ID, "duplicate id: first defined at %s", prev.Pos())
			continue
		}
		f.Cases = append(f.Cases, c)
		seen[c.ID] = &f.Cases[len(f.Cases)-1]
	}
	if len(p.errs) > 0 {
		return nil, p.err()
	}
	return &f, nil
}

type parser struct {
	file    string
	errs    []error
	more    int  // errors beyond MaxErrors, not kept
	stopped bool // reading stopped at the cap (stop)
}

// err is the file's errors, nil if none; it counts those beyond the cap
// that a stop line does not already mention.
func (p *parser) err() error {
	if p.more > 0 && !p.stopped {
		p.errs = append(p.errs, &Error{File: p.file, Msg: fmt.Sprintf("and %d more errors", p.more)})
		p.more = 0
	}
	return errors.Join(p.errs...)
}

// MaxErrors is how many errors Parse reports in one file. Past it, it
// reads no further cases: a huge file of bad cases (a generator gone
// wrong) is refused at once, with a message a person can read, instead of
// minutes later with megabytes of it.
const MaxErrors = 20

func (p *parser) add(n *yaml.Node, id, format string, args ...any) {
	p.addError(&Error{File: p.file, Line: n.Line, Column: n.Column, ID: id, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) addError(e *Error) {
	if p.full() {
		p.more++
		return
	}
	p.errs = append(p.errs, e)
}

// full reports whether the file has MaxErrors errors.
func (p *parser) full() bool { return len(p.errs) >= MaxErrors }

// stop ends the errors with the line where reading stopped, the case at
// n being the first one not read.
func (p *parser) stop(n *yaml.Node) {
	more := ""
	if p.more > 0 {
		more = fmt.Sprintf(", and %d more in the cases above,", p.more)
	}
	p.stopped = true
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Column: n.Column,
		Msg: fmt.Sprintf("stopped reading after %d errors%s: the cases from here on are not checked; fix these and load the file again", MaxErrors, more)})
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// decodeError turns a yaml.v3 decoding error, whose messages carry only a
// line, into errors placed in the file.
func (p *parser) decodeError(n *yaml.Node, id string, err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		line, col := n.Line, n.Column
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			line, _ = strconv.Atoi(sub[1])
			m = strings.Replace(m, sub[0], "", 1)
			col = columnOf(n, line, quotedValue(m))
		}
		p.addError(&Error{File: p.file, Line: line, Column: col, ID: id, Msg: strings.TrimPrefix(m, "yaml: ")})
	}
}

// quotedValue is the value a yaml.v3 type error quotes in backquotes
// ("cannot unmarshal !!str `soon` into int"), or "".
func quotedValue(msg string) string {
	_, rest, ok := strings.Cut(msg, "`")
	if !ok {
		return ""
	}
	v, _, ok := strings.Cut(rest, "`")
	if !ok {
		return ""
	}
	return v
}

// columnOf finds the column of the node on line below n whose value is
// value (yaml.v3 gives a type error a line only): the scalar itself when
// it is there, else the first node on that line, else 0.
func columnOf(n *yaml.Node, line int, value string) int {
	first := 0
	var walk func(*yaml.Node) int
	walk = func(n *yaml.Node) int {
		if n.Line == line {
			if n.Kind == yaml.ScalarNode && value != "" && n.Value == value {
				return n.Column
			}
			if first == 0 || n.Column < first {
				first = n.Column
			}
		}
		for _, c := range n.Content {
			if col := walk(c); col > 0 {
				return col
			}
		}
		return 0
	}
	if col := walk(n); col > 0 {
		return col
	}
	return first
}

// syntaxError places a YAML syntax error and names the case it falls in, found
// as the nearest "id:" line before it.
//
// yaml.v3's message gives the line of the enclosing construct when it has
// one (a bad indent in a case's request is reported where the case list
// began), counted from 0 or 1 depending on which layer failed, and never a
// column. So the line is found again: the shortest run of whole lines from
// the top that fails with the same problem ends at the line that holds it.
func syntaxError(name string, data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: name, Msg: "invalid YAML: " + msg}
	if sub := yamlLine.FindStringSubmatch(msg); sub != nil {
		problem := strings.Replace(msg, sub[0], "", 1)
		e.Msg = "invalid YAML: " + problem
		lines := strings.SplitAfter(string(data), "\n")
		fails := func(n int) bool {
			var doc yaml.Node
			err := yaml.Unmarshal([]byte(strings.Join(lines[:n], "")), &doc)
			return err != nil && strings.HasSuffix(err.Error(), problem)
		}
		// The smallest n whose first n lines fail so; all of them do.
		lo, hi := 1, len(lines)
		for lo < hi {
			if mid := (lo + hi) / 2; fails(mid) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		e.Line = lo
		if lo <= len(lines) {
			l := lines[lo-1]
			e.Column = len(l) - len(strings.TrimLeft(l, " \t")) + 1
		}
		for i := min(e.Line, len(lines)) - 1; i >= 0; i-- {
			t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i]), "-"))
			if v, ok := strings.CutPrefix(t, "id:"); ok {
				e.ID = strings.Trim(strings.TrimSpace(v), `"'`)
				break
			}
		}
	}
	return e
}

// known reports every mapping key below n that the Go type t has no field
// for. yaml.v3 can refuse unknown fields only when decoding a whole document,
// and then without a column or the case; this walk gives both.
func (p *parser) known(n *yaml.Node, t reflect.Type, id string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[yaml.Unmarshaler]()) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			p.add(n, id, "expected a mapping")
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				p.add(k, id, "unknown field %q (known: %s)", k.Value, strings.Join(slices.Sorted(mapKeys(fields)), ", "))
				continue
			}
			p.known(n.Content[i+1], ft, id)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				p.known(c, t.Elem(), id)
			}
		}
	}
}

func mapKeys(m map[string]reflect.Type) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// yamlFields maps the YAML key of each field of struct type t, inline fields
// included, to the field's type.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// mapValue returns the value node for key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// at returns the key node of key in mapping n, to place an error on, or n
// itself when the key is absent.
func at(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i]
			}
		}
	}
	return n
}

var (
	namePart = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	idPart   = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]*$`)
)

func splitID(id string) (scheme, topic, name string) {
	parts := strings.SplitN(id, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

func (p *parser) checkHeader(n *yaml.Node, f *File) {
	if f.Format != FormatV1 && f.Format != FormatV2 {
		p.add(at(n, "format"), "", "format must be %q (or the older %q), got %q", FormatV2, FormatV1, f.Format)
	}
	if !namePart.MatchString(f.Scheme) {
		p.add(at(n, "scheme"), "", "scheme must be a lowercase name, got %q", f.Scheme)
	}
	if !namePart.MatchString(f.Topic) {
		p.add(at(n, "topic"), "", "topic must be a lowercase name, got %q", f.Topic)
	}
}

// checkCase checks a whole case; variantNodes are the nodes its variant
// outcomes were read from, one for each, to place errors on.
func (p *parser) checkCase(n *yaml.Node, f *File, c *Case, variantNodes []*yaml.Node) {
	bad := func(key, format string, args ...any) { p.add(at(n, key), c.ID, format, args...) }
	scheme, topic, name := splitID(c.ID)
	switch {
	case c.ID == "":
		bad("id", "missing id")
	case scheme != f.Scheme || topic != f.Topic || !idPart.MatchString(name):
		bad("id", "id must be %s/%s/<name> with name in [a-z0-9._+-], got %q", f.Scheme, f.Topic, c.ID)
	}
	if strings.TrimSpace(c.Title) == "" {
		bad("title", "missing title")
	}
	switch c.Source {
	case "":
		bad("source", "missing source: say published (with refs), cross-checked (with checked_by) or generated")
	case Published:
		if len(c.Refs) == 0 {
			bad("source", "a published case needs refs naming the publication")
		}
	case CrossChecked:
		if len(c.CheckedBy) < 2 {
			bad("source", "a cross-checked case needs checked_by naming at least two independent implementations")
		}
	case Generated:
	default:
		bad("source", "source must be published, cross-checked or generated, got %q", c.Source)
	}
	if c.Credentials.SecretKey == "" {
		bad("credentials", "missing credentials.secret_key")
	}
	if c.Request.Method == "" || c.Request.URL == "" {
		bad("request", "request needs method and url")
	}
	if c.Context.Time != "" {
		if _, err := time.Parse(time.RFC3339, c.Context.Time); err != nil {
			bad("context", "context.time must be RFC 3339: %v", err)
		}
	}
	switch c.Kind {
	case Sign:
		p.checkSignOutcome(at(n, "expected"), c.ID, "expected", c.Expected)
		if c.Expected.Departs != "" {
			p.add(at(n, "expected"), c.ID, "expected: departs names where a variant departs from the expected values; the expected outcome has none")
		}
	case Verify:
		p.checkVerdict(at(n, "expected"), c.ID, "expected", c.Expected)
	case "":
		bad("kind", "missing kind: sign or verify")
	default:
		bad("kind", "kind must be sign or verify, got %q", c.Kind)
	}
	seen := map[string]bool{}
	for i, v := range c.Variants {
		node := n
		if i < len(variantNodes) {
			node = variantNodes[i]
		}
		what := fmt.Sprintf("variant %q", v.Name)
		switch {
		case v.Name == "":
			p.add(node, c.ID, "variant without a name")
		case seen[v.Name]:
			p.add(node, c.ID, "variant %q given twice", v.Name)
		}
		seen[v.Name] = true
		if c.Kind == Sign {
			p.checkSignOutcome(node, c.ID, what, v.Outcome)
		} else if c.Kind == Verify {
			p.checkVerdict(node, c.ID, what, v.Outcome)
		}
	}
}

func (p *parser) checkSignOutcome(n *yaml.Node, id, what string, o Outcome) {
	if o.Signature == "" {
		p.add(n, id, "%s: a sign case needs a signature", what)
	}
	if o.Verdict != "" || o.Reason != "" {
		p.add(n, id, "%s: a sign case has no verdict or reason", what)
	}
}

func (p *parser) checkVerdict(n *yaml.Node, id, what string, o Outcome) {
	switch o.Verdict {
	case Accept:
		if o.Reason != "" {
			p.add(n, id, "%s: an accepted request has no reason", what)
		}
	case Reject:
		if !slices.Contains(sigconform.Reasons, o.Reason) {
			p.add(n, id, "%s: a rejection needs a reason, one of %v; got %q", what, sigconform.Reasons, o.Reason)
		}
	case "":
		p.add(n, id, "%s: a verify case needs a verdict: accept or reject", what)
	default:
		p.add(n, id, "%s: verdict must be accept or reject, got %q", what, o.Verdict)
	}
	if o.Signature != "" || len(o.Stages) > 0 || o.Departs != "" || o.URL != "" || len(o.Headers) > 0 {
		p.add(n, id, "%s: a verify case expects a verdict, not signing output", what)
	}
}

// isV2 reports whether the document's format is v2, the only one read from
// fastParse's nodes (v1 files are decoded by yaml.v3's reflection, which
// gets its own parser's nodes).
func isV2(doc *yaml.Node) bool {
	v := mapValue(doc.Content[0], "format")
	return v != nil && v.Value == FormatV2
}

// hasDocumentMarker reports whether a line of data starts with "---" or
// "...", the only ways a second YAML document can begin.
func hasDocumentMarker(data []byte) bool {
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
			return true
		}
	}
	return false
}

// MaxFileSize is the largest vector file Load reads: ten times the largest
// embedded file, far beyond any hand-written one.
const MaxFileSize = 64 << 20

// readRegular reads the regular file name from fsys, refusing anything else
// (a FIFO blocks a reader forever, a link to /dev/zero never ends) and any
// file larger than limit bytes, even one that grows while it is read.
func readRegular(fsys fs.FS, name string, limit int64) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: fmt.Sprintf("not a regular file (%s): vector files must be regular files", fi.Mode().Type())}
	}
	if fi.Size() > limit {
		return nil, &Error{File: name, Msg: fmt.Sprintf("%d bytes: larger than the %d bytes a vector file may have", fi.Size(), limit)}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized from the Stat, so that reading is one copy, not a growing one.
	buf := bytes.NewBuffer(make([]byte, 0, min(fi.Size(), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than the %d bytes a vector file may have", limit)}
	}
	return data, nil
}

// checkText refuses what is not YAML text before the YAML reader sees it:
// its messages for bytes that are not UTF-8, or for control characters such
// as NUL, say neither line nor column.
func checkText(name string, data []byte) error {
	line, col := 1, 1
	for i := 0; i < len(data); {
		// Printable ASCII, tab and carriage return, the bulk of a file,
		// need no decoding.
		if b := data[i]; b >= 0x20 && b < 0x7f || b == '\t' || b == '\r' {
			col++
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		var msg string
		switch {
		case r == utf8.RuneError && size == 1:
			msg = fmt.Sprintf("byte 0x%02x is not UTF-8: vector files are UTF-8 text", data[i])
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			msg = fmt.Sprintf("control character U+%04X: vector files hold none (write it as an escape in a double-quoted string)", r)
		}
		if msg != "" {
			return &Error{File: name, Line: line, Column: col, Msg: msg}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}
