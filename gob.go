package sigconform

import (
	"bytes"
	"encoding/gob"
)

// gob leaves out a pointer to a zero value, so a Context whose
// NormalizePath points to false would come back with none, which means
// true. Context goes through gob (the vectors' cache) as a struct that
// keeps the three states apart.

type contextGob struct {
	Ctx           contextFields
	NormalizePath int8 // 0 unset, 1 false, 2 true
}

// contextFields is Context without its methods, so that gob encodes its
// fields rather than calling GobEncode again.
type contextFields Context

// GobEncode writes c keeping NormalizePath's three states.
func (c Context) GobEncode() ([]byte, error) {
	g := contextGob{Ctx: contextFields(c)}
	g.Ctx.NormalizePath = nil
	if c.NormalizePath != nil {
		g.NormalizePath = 1
		if *c.NormalizePath {
			g.NormalizePath = 2
		}
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(g)
	return buf.Bytes(), err
}

// GobDecode reads what GobEncode wrote.
func (c *Context) GobDecode(b []byte) error {
	var g contextGob
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&g); err != nil {
		return err
	}
	*c = Context(g.Ctx)
	if g.NormalizePath != 0 {
		v := g.NormalizePath == 2
		c.NormalizePath = &v
	}
	return nil
}
