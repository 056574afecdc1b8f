// Package vectors holds sigconform's test vectors, embedded, and the code to
// read and write vector files.
//
// A project that wants the vectors as golden data imports this package and
// calls Embedded; one that keeps its own files calls Load on a directory.
// The format is described in docs/vector-format.md and by the JSON Schema in
// schema/vectors.schema.json.
package vectors

import (
	"bytes"
	"embed"
	"io/fs"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed */*.yaml schema/*.json
var embedded embed.FS

//go:embed VERSION
var corpusVersion string

// CorpusVersion is the semantic version of the embedded vectors, from
// VERSION (vectorgen keeps it; CHANGELOG.md says what each version changed).
// A new case moves the minor version; a changed expected value or a removed
// case moves the major one.
var CorpusVersion = strings.TrimSpace(corpusVersion)

// FS returns the embedded vector files: <scheme>/<topic>.yaml, and the JSON
// Schema under schema/.
func FS() fs.FS { return embedded }

// Embedded loads and checks the embedded vector files once.
var Embedded = sync.OnceValues(func() (*Set, error) { return Load(embedded) })

// Marshal writes f in format v2, in the canonical layout vectorgen
// produces: two-space indentation, multi-line strings as literal blocks,
// every string that a YAML 1.1 reader could take for another type quoted.
// The output is byte-for-byte stable for the same File. Every variant the
// cases name needs its description in f.Variants.
func Marshal(f *File) ([]byte, error) {
	doc, err := marshalV2(f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
