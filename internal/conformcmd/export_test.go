package conformcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sigconform/sigconform/vectors"
)

// The export of the embedded corpus matches docs/corpus.schema.json, holds
// every case, and reads back into the Go types as the same cases: the JSON
// a project in another language vendors is the corpus, whole.
func TestExportMatchesSchemaAndCorpus(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"export"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../docs/corpus.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("corpus.schema.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("corpus.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatal(err)
	}

	var back struct {
		CorpusVersion string `json:"corpus_version"`
		Files         []struct {
			Path  string         `json:"path"`
			Cases []vectors.Case `json:"cases"`
		} `json:"files"`
	}
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if back.CorpusVersion != vectors.CorpusVersion {
		t.Errorf("corpus_version %q, want %q", back.CorpusVersion, vectors.CorpusVersion)
	}
	n := 0
	for _, f := range back.Files {
		for _, got := range f.Cases {
			n++
			want := set.Lookup(got.ID)
			if want == nil {
				t.Errorf("%s: exported, not in the corpus", got.ID)
				continue
			}
			if want.File != f.Path {
				t.Errorf("%s: path %q, want %q", got.ID, f.Path, want.File)
			}
			w := *want
			w.File, w.Line, w.Column = "", 0, 0
			if d := cmp.Diff(w, got); d != "" {
				t.Errorf("%s: read back differently (-corpus +export):\n%s", got.ID, d)
			}
		}
	}
	if n != len(set.Cases()) {
		t.Errorf("%d cases exported, the corpus has %d", n, len(set.Cases()))
	}
}
