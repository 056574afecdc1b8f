package vectors_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sigconform/sigconform/vectors"
	"go.yaml.in/yaml/v3"
)

// The schemas: of the current format, and of the older v1.
const (
	schemaV2 = "schema/vectors.schema.json"
	schemaV1 = "schema/vectors-v1.schema.json"
)

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := vectors.FS().Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlValue reads YAML into the plain values a JSON Schema validator takes.
func yamlValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// The published JSON Schema must accept every file the loader accepts...
func TestSchemaAcceptsEmbeddedFiles(t *testing.T) {
	s := compileSchema(t, schemaV2)
	names, err := fs.Glob(vectors.FS(), "*/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no vector files: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(vectors.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlValue(t, data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// ...and refuse the malformed ones that break its rules (a duplicate id or
// a YAML syntax error are beyond what a schema checks). The files in
// testdata/badvectors are v1, the format users' own files may still be in.
func TestSchemaRefusesMalformedFiles(t *testing.T) {
	s := compileSchema(t, schemaV1)
	for _, name := range []string{"unknown-field.yaml", "missing-source.yaml", "missing-expected.yaml", "wrong-type.yaml", "published-without-refs.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "badvectors", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlValue(t, data)); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

// The v2 schema refuses an embedded file broken in each of the places v2
// adds: the variants' descriptions, the defaults, a case's grouped variant
// outcomes.
func TestSchemaV2RefusesMalformedFiles(t *testing.T) {
	s := compileSchema(t, schemaV2)
	data, err := fs.ReadFile(vectors.FS(), "sigv4/encoding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, breakIt := range map[string]func(f map[string]any){
		"variant without summary": func(f map[string]any) { delete(f["variants"].([]any)[0].(map[string]any), "summary") },
		"unknown bug_type":        func(f map[string]any) { f["variants"].([]any)[0].(map[string]any)["bug_type"] = "typo" },
		"unknown default":         func(f map[string]any) { f["defaults"].(map[string]any)["title"] = "x" },
		"variant outcome without names": func(f map[string]any) {
			delete(f["cases"].([]any)[0].(map[string]any)["variants"].([]any)[0].(map[string]any), "names")
		},
		"variant outcome with a v1 name": func(f map[string]any) {
			f["cases"].([]any)[0].(map[string]any)["variants"].([]any)[0].(map[string]any)["name"] = "x"
		},
		"v1 format": func(f map[string]any) { f["format"] = "sigconform/v1" },
	} {
		f := yamlValue(t, data).(map[string]any)
		breakIt(f)
		if err := s.Validate(f); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
