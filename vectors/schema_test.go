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

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const name = "schema/vectors.schema.json"
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
	s := compileSchema(t)
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
// a YAML syntax error are beyond what a schema checks).
func TestSchemaRefusesMalformedFiles(t *testing.T) {
	s := compileSchema(t)
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
