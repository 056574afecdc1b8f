package vectors

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastParse reads the subset of YAML that Marshal writes: block mappings
// and sequences indented by two spaces, plain, single- and double-quoted
// scalars on one line, literal blocks, and flow sequences of scalars (and
// the empty flow mapping). It builds the same nodes yaml.v3 does, at a
// fraction of the cost: yaml.v3's general parser is most of what loading
// the embedded corpus takes. For anything outside the subset it returns
// nil, and the caller parses with yaml.v3; TestFastParseIsYAMLv3 holds the
// two to the same nodes on every embedded file.
func fastParse(data []byte) *yaml.Node {
	p, doc := fastParseHead(data)
	if doc == nil {
		return nil
	}
	if p.cases != nil {
		for {
			n, ok := p.nextCase()
			if !ok {
				break
			}
			p.cases.Content = append(p.cases.Content, n)
		}
		if !p.end() {
			return nil
		}
	}
	return doc
}

// fastParseHead reads a file as fastParse does, up to the items of its
// last key, cases, when they are a block sequence: those are left to
// nextCase, one at a time, so that a reader can stop after the first
// cases (too many errors in a huge file) without building the nodes of
// the others. p.cases is then the (empty) sequence node, nil when the
// whole document was read; p.end says, once nextCase has returned false,
// whether the rest of the file is in the subset. doc is nil where
// fastParse would return nil.
func fastParseHead(data []byte) (p *fastParser, doc *yaml.Node) {
	if !printable(data) || !bytes.HasSuffix(data, []byte("\n")) {
		return nil, nil // yaml.v3 says what is wrong, and where; a file cut short is left to it
	}
	p = &fastParser{lines: make([]string, 0, bytes.Count(data, []byte("\n"))), lazyCases: true}
	for line := range strings.Lines(string(data)) {
		p.lines = append(p.lines, line[:len(line)-1])
	}
	// Comments and blank lines before the document.
	for p.i < len(p.lines) && (strings.HasPrefix(p.lines[p.i], "#") || p.lines[p.i] == "") {
		p.i++
	}
	if p.i == len(p.lines) {
		return nil, nil
	}
	root := p.block(0)
	if p.fail || root == nil || root.Kind != yaml.MappingNode {
		return nil, nil
	}
	if p.cases == nil && !p.end() {
		return nil, nil
	}
	return p, &yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: 1, Content: []*yaml.Node{root}}
}

// nextCase reads the next item of the cases sequence that fastParseHead
// left unread; false at its end, or when the item is outside the subset
// (p.fail: the caller must then read the file with yaml.v3).
func (p *fastParser) nextCase() (*yaml.Node, bool) {
	if p.fail || p.cases == nil {
		return nil, false
	}
	p.depth = 2 // in the root mapping, in the sequence
	return p.item(p.caseIndent)
}

// end reports whether every line from the current one is blank: the
// document ends there, as the subset requires.
func (p *fastParser) end() bool {
	if p.fail {
		return false
	}
	for ; p.i < len(p.lines); p.i++ {
		if p.lines[p.i] != "" {
			return false // something the subset does not know
		}
	}
	return true
}

type fastParser struct {
	lines []string
	i     int // the next line to read
	depth int // how many mappings and sequences deep the reader is
	fail  bool

	// lazyCases asks the root mapping to stop at a last key cases whose
	// value is a block sequence, leaving its items to nextCase: cases is
	// then that sequence's node, without its items, and caseIndent the
	// column (0-based) of their "- " marks.
	lazyCases  bool
	cases      *yaml.Node
	caseIndent int
}

// maxFastDepth bounds how deep fastParse nests blocks. The corpus nests a
// handful deep; anything deeper is left to yaml.v3, which refuses nesting
// beyond its own limit (10000) that fastParse would otherwise accept.
const maxFastDepth = 100

// enter goes one block mapping or sequence deeper, failing beyond
// maxFastDepth; leave comes back out.
func (p *fastParser) enter() bool {
	p.depth++
	if p.depth > maxFastDepth {
		p.fail = true
		return false
	}
	return true
}

func (p *fastParser) leave() { p.depth-- }

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// block reads the block node (mapping or sequence) whose lines start at
// column indent+1 from the current line.
func (p *fastParser) block(indent int) *yaml.Node {
	if p.i >= len(p.lines) {
		p.fail = true
		return nil
	}
	l := p.lines[p.i]
	if indentOf(l) != indent {
		p.fail = true
		return nil
	}
	if strings.HasPrefix(l[indent:], "- ") || l[indent:] == "-" {
		return p.sequence(indent)
	}
	return p.mapping(indent, indent, l[indent:])
}

// mapping reads a block mapping whose first key starts at column
// indent+1 of the current line, with first the text from that key on (it
// may follow "- " on the line).
func (p *fastParser) mapping(indent, firstCol int, first string) *yaml.Node {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.i + 1, Column: firstCol + 1}
	text, col := first, firstCol
	for {
		key, rest, ok := strings.Cut(text, ":")
		if !ok || key == "" || !plainKey(key) || (rest != "" && rest[0] != ' ') {
			p.fail = true
			return nil
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: plainTag(key), Value: key, Line: p.i + 1, Column: col + 1}
		line := p.i
		p.i++
		var v *yaml.Node
		if rest == "" && p.lazyCases && p.depth == 1 && key == "cases" && p.i < len(p.lines) {
			// The root's cases, read item by item by nextCase; the
			// subset wants them last (Marshal writes them last).
			next := p.lines[p.i]
			if in := indentOf(next); in >= indent && strings.HasPrefix(next[in:], "- ") {
				p.cases = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: p.i + 1, Column: in + 1}
				p.caseIndent = in
				m.Content = append(m.Content, k, p.cases)
				return m
			}
		}
		if rest == "" {
			// The value is a block below, indented further; a sequence may
			// also sit at the key's own indentation, as yaml.v3 allows.
			if p.i < len(p.lines) && indentOf(p.lines[p.i]) > indent {
				v = p.block(indentOf(p.lines[p.i]))
			} else if p.i < len(p.lines) && indentOf(p.lines[p.i]) == indent && strings.HasPrefix(p.lines[p.i][indent:], "- ") {
				v = p.sequence(indent)
			} else {
				v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: line + 1, Column: col + len(key) + 2}
			}
		} else {
			v = p.inline(line, col+len(key)+2, rest[1:], indent)
		}
		if p.fail {
			return nil
		}
		m.Content = append(m.Content, k, v)
		if p.i >= len(p.lines) {
			return m
		}
		next := p.lines[p.i]
		if next == "" || indentOf(next) < indent {
			return m
		}
		if indentOf(next) > indent || strings.HasPrefix(next[indent:], "- ") || next[indent:] == "-" {
			if indentOf(next) > indent {
				p.fail = true
				return nil
			}
			return m
		}
		text, col = next[indent:], indent
	}
}

// sequence reads a block sequence whose "- " marks are at column indent+1.
func (p *fastParser) sequence(indent int) *yaml.Node {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: p.i + 1, Column: indent + 1}
	for {
		v, ok := p.item(indent)
		if !ok {
			break
		}
		s.Content = append(s.Content, v)
	}
	if p.fail {
		return nil
	}
	return s
}

// item reads the sequence item whose "- " mark is at column indent+1 of
// the current line; false when the line holds none (the sequence ends),
// or when the item is outside the subset (p.fail).
func (p *fastParser) item(indent int) (*yaml.Node, bool) {
	if p.i >= len(p.lines) {
		return nil, false
	}
	l := p.lines[p.i]
	if l == "" || indentOf(l) != indent || !strings.HasPrefix(l[indent:], "- ") {
		return nil, false
	}
	item := l[indent+2:]
	var v *yaml.Node
	switch {
	case item == "" || item[0] == ' ':
		p.fail = true
		return nil, false
	case item[0] == '[' || item[0] == '\'' || item[0] == '"' || item[0] == '|' || item[0] == '{' || !strings.Contains(item, ": ") && !strings.HasSuffix(item, ":"):
		line := p.i
		p.i++
		v = p.inline(line, indent+2, item, indent+2)
	default:
		v = p.mapping(indent+2, indent+2, item)
	}
	if p.fail {
		return nil, false
	}
	return v, true
}

// inline reads the value that starts at column col+1 of line (0-based
// line index; p.i is already past it): a scalar, a flow sequence or an
// empty flow mapping, or a literal block whose lines follow, indented
// beyond parentIndent.
func (p *fastParser) inline(line, col int, text string, parentIndent int) *yaml.Node {
	switch {
	case text == "" || text[0] == ' ':
		p.fail = true
		return nil
	case strings.HasPrefix(text, "|"):
		return p.literal(line, col, text, parentIndent)
	case text == "{}":
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle, Line: line + 1, Column: col + 1}
	case strings.HasPrefix(text, "["):
		return p.flowSequence(line, col, text)
	}
	n, rest := p.scalar(line, col, text, false)
	if p.fail || rest != "" {
		p.fail = true
		return nil
	}
	return n
}

// scalar reads one scalar at the start of text; in a flow sequence it
// ends at ',' or ']'. It returns what follows it.
//
// Over 80 lines, left whole: one short case per scalar style (single-quoted, double-quoted, plain) sharing one failure path, on the hot path of loading.
func (p *fastParser) scalar(line, col int, text string, flow bool) (*yaml.Node, string) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line + 1, Column: col + 1}
	switch {
	case text == "" || text[0] == ' ':
		p.fail = true
		return nil, ""
	case text[0] == '\'':
		if end := strings.IndexByte(text[1:], '\''); end >= 0 && !strings.HasPrefix(text[end+2:], "'") {
			// No '' inside: the value is the text between the quotes.
			n.Value, n.Style, n.Tag = text[1:end+1], yaml.SingleQuotedStyle, "!!str"
			return n, text[end+2:]
		}
		var b strings.Builder
		for i := 1; i < len(text); i++ {
			if text[i] == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				n.Value, n.Style, n.Tag = b.String(), yaml.SingleQuotedStyle, "!!str"
				return n, text[i+1:]
			}
			b.WriteByte(text[i])
		}
	case text[0] == '"':
		if end := strings.IndexAny(text[1:], "\"\\"); end >= 0 && text[end+1] == '"' {
			// No escapes: the value is the text between the quotes.
			n.Value, n.Style, n.Tag = text[1:end+1], yaml.DoubleQuotedStyle, "!!str"
			return n, text[end+2:]
		}
		var b strings.Builder
		for i := 1; i < len(text); i++ {
			c := text[i]
			switch c {
			case '"':
				n.Value, n.Style, n.Tag = b.String(), yaml.DoubleQuotedStyle, "!!str"
				return n, text[i+1:]
			case '\\':
				if i+1 >= len(text) {
					p.fail = true
					return nil, ""
				}
				i++
				size := hexEscapes[text[i]]
				if size > 0 {
					if i+size >= len(text) {
						p.fail = true
						return nil, ""
					}
					r, err := strconv.ParseUint(text[i+1:i+1+size], 16, 32)
					if err != nil || !utf8.ValidRune(rune(r)) {
						p.fail = true
						return nil, ""
					}
					b.WriteRune(rune(r))
					i += size
					continue
				}
				esc, ok := escapes[text[i]]
				if !ok {
					p.fail = true
					return nil, ""
				}
				b.WriteString(esc)
			default:
				b.WriteByte(c)
			}
		}
	default:
		// A plain scalar: the rest of the line, or of the flow item. The
		// subset has none that could start or hold YAML syntax.
		end := len(text)
		if flow {
			end = strings.IndexAny(text, ",]")
			if end < 0 {
				p.fail = true
				return nil, ""
			}
		}
		v := text[:end]
		if v == "" {
			p.fail = true
			return nil, ""
		}
		if strings.ContainsAny(v[:1], "!&*%@`#|>-?:,[]{}'\"") && !(v[0] == '-' && len(v) > 1 && v[1] != ' ') ||
			strings.Contains(v, " #") || strings.Contains(v, ": ") || strings.HasSuffix(v, ":") ||
			strings.HasSuffix(v, " ") || strings.Contains(v, "\t") || flow && strings.ContainsAny(v, "{}[") {
			p.fail = true
			return nil, ""
		}
		n.Value = v
		n.Tag = plainTag(v)
		return n, text[end:]
	}
	p.fail = true
	return nil, ""
}

// hexEscapes are the double-quoted escapes followed by hex digits, with
// how many; escapes are the others, with what each stands for.
var (
	hexEscapes = map[byte]int{'x': 2, 'u': 4, 'U': 8}
	escapes    = map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r",
		'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}
)

// flowSequence reads [a, b, ...] of scalars on one line.
func (p *fastParser) flowSequence(line, col int, text string) *yaml.Node {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line + 1, Column: col + 1}
	rest := text[1:]
	at := col + 1
	if rest == "]" {
		return s
	}
	for {
		n, after := p.scalar(line, at, rest, true)
		if p.fail {
			return nil
		}
		s.Content = append(s.Content, n)
		switch {
		case strings.HasPrefix(after, ", "):
			at += len(rest) - len(after) + 2
			rest = after[2:]
		case after == "]":
			return s
		default:
			p.fail = true
			return nil
		}
	}
}

// literal reads a literal block scalar: |, |- or |+, with an optional
// indentation indicator, its lines indented beyond parentIndent.
func (p *fastParser) literal(line, col int, header string, parentIndent int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.LiteralStyle, Line: line + 1, Column: col + 1}
	chomp, explicit, ok := literalHeader(header[1:])
	if !ok {
		p.fail = true
		return nil
	}
	// The block's lines: every following line that is blank or indented
	// beyond the parent.
	start := p.i
	for p.i < len(p.lines) && (strings.TrimLeft(p.lines[p.i], " ") == "" || indentOf(p.lines[p.i]) > parentIndent) {
		p.i++
	}
	block := p.lines[start:p.i]
	indent := parentIndent + explicit
	if explicit == 0 {
		if indent, ok = literalIndent(block); !ok {
			p.fail = true
			return nil
		}
	}
	var content []string
	for _, l := range block {
		switch {
		case indent >= 0 && len(l) >= indent && strings.TrimLeft(l[:indent], " ") == "":
			content = append(content, l[indent:])
		case strings.TrimLeft(l, " ") == "":
			content = append(content, "")
		default:
			p.fail = true
			return nil
		}
	}
	n.Value = chompLiteral(content, chomp)
	return n
}

// literalHeader reads what follows | in a literal block's header: an
// optional chomping indicator (- or +) and an optional indentation
// indicator (1-9), in either order; ok is false for anything else.
func literalHeader(h string) (chomp byte, explicit int, ok bool) {
	for _, c := range []byte(h) {
		switch {
		case (c == '-' || c == '+') && chomp == 0:
			chomp = c
		case c >= '1' && c <= '9' && explicit == 0:
			explicit = int(c - '0')
		default:
			return 0, 0, false
		}
	}
	return chomp, explicit, true
}

// literalIndent finds a literal block's indentation from its first
// non-blank line (-1 when there is none); ok is false for a block that
// yaml.v3 treats differently, left to it.
func literalIndent(block []string) (indent int, ok bool) {
	indent = -1
	for _, l := range block {
		if strings.TrimLeft(l, " ") != "" {
			indent = indentOf(l)
			if l[indent] == '\t' {
				// A tab where yaml.v3 still looks for the
				// indentation: it refuses the block.
				return 0, false
			}
			break
		}
	}
	// Leading blank lines longer than the content's indentation
	// make yaml.v3 complain; leave such blocks to it.
	for _, l := range block {
		if strings.TrimLeft(l, " ") != "" {
			break
		}
		if indent >= 0 && len(l) > indent {
			return 0, false
		}
	}
	return indent, true
}

// chompLiteral joins a literal block's content lines. Trailing blank
// lines are kept by |+, reduced to one newline by |, dropped with the
// last newline by |-.
func chompLiteral(content []string, chomp byte) string {
	last := len(content)
	for last > 0 && content[last-1] == "" {
		last--
	}
	body := strings.Join(content[:last], "\n")
	switch chomp {
	case '-':
		return body
	case '+':
		if last > 0 {
			return body + "\n" + strings.Repeat("\n", len(content)-last)
		}
		return body + strings.Repeat("\n", len(content)-last)
	default:
		if last > 0 {
			return body + "\n"
		}
		return ""
	}
}

// plainKey reports whether key is a mapping key of the subset: a plain
// word (field names, stage names).
func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// printable reports whether data is UTF-8 made only of what YAML allows in
// a stream (its c-printable set), and has no carriage return, whose line
// breaks are left to yaml.v3.
func printable(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r < 0xA0 && r != 0x85, r >= 0xD800 && r <= 0xDFFF, r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
		i += size
	}
	return true
}

// plainTag is the tag yaml.v3 resolves the plain scalar s to. Only a
// scalar starting with one of these can be anything but a string (yaml.v3's
// own resolve table says so); the rest are strings without asking.
func plainTag(s string) string {
	if s != "" && !strings.ContainsRune("+-.0123456789~<yYnNtTfFoO", rune(s[0])) {
		return "!!str"
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	return n.ShortTag()
}
