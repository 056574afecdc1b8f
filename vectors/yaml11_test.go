package vectors_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform/vectors"
	"go.yaml.in/yaml/v3"
)

// pyLoad reads every file named on its standard input with PyYAML's
// safe_load, a YAML 1.1 reader, and writes them as one JSON object keyed by
// name. A value JSON cannot hold (a datetime, a date) is written as
// "!python <type>: <value>", so that it differs from any string Go reads.
const pyLoad = `
import json, sys, yaml
out = {}
for name in sys.stdin.read().split("\n"):
    if name:
        with open(name, encoding="utf-8") as f:
            # CSafeLoader is safe_load with libyaml's parser: the same YAML 1.1
            # resolver, a tenth of the time.
            out[name] = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
json.dump(out, sys.stdout, default=lambda v: "!python %s: %r" % (type(v).__name__, v))
`

// TestYAML11ReadersReadTheSameStrings loads the whole embedded corpus with
// PyYAML's safe_load and requires the same values Go's YAML 1.2 reader
// reads: every string a string, every number and boolean the same.
func TestYAML11ReadersReadTheSameStrings(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: leaves out starting Python")
	}
	t.Parallel() // mostly waits for Python
	if err := exec.Command("python3", "-c", "import yaml").Run(); err != nil {
		t.Skipf("no YAML 1.1 reader to compare with: python3 with PyYAML is not installed (Debian: apt-get install python3-yaml): %v", err)
	}
	var names []string
	goRead := map[string]any{}
	err := fs.WalkDir(vectors.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(vectors.FS(), p)
		if err != nil {
			return err
		}
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return err
		}
		names = append(names, p)
		goRead[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", pyLoad)
	cmd.Dir = "." // the package directory holds the embedded files
	cmd.Stdin = strings.NewReader(strings.Join(names, "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var pyRead map[string]any
	if err := json.Unmarshal(out, &pyRead); err != nil {
		t.Fatal(err)
	}
	// Go's reading goes through JSON too, so that both sides hold the same
	// Go types (float64 numbers, map[string]any).
	b, err := json.Marshal(goRead)
	if err != nil {
		t.Fatal(err)
	}
	var goJSON map[string]any
	if err := json.Unmarshal(b, &goJSON); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		// cmp.Diff only where the values differ: it is a third of the
		// test's time on equal trees.
		if reflect.DeepEqual(goJSON[name], pyRead[name]) {
			continue
		}
		if d := cmp.Diff(goJSON[name], pyRead[name]); d != "" {
			t.Errorf("%s: PyYAML (YAML 1.1) reads other values than Go (-Go +PyYAML):\n%s", name, d)
		}
	}
}

// TestMarshalQuotesYAML11Scalars checks the writer on the strings a YAML
// 1.1 reader takes for other types.
func TestMarshalQuotesYAML11Scalars(t *testing.T) {
	for _, s := range []string{"2024-01-02T08:19:05.123456+05", "2024-01-02", "yes", "No", "on", "OFF", "y", "0755", "1:20", "190:20:30", "1_000", "0x1F", "0b101", ".5", "1.", "~", "=", "<<", ".inf", ".NaN"} {
		f := &vectors.File{Format: vectors.FormatV1, Scheme: "s", Topic: "t", Description: s}
		b, err := vectors.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`description: "`)) {
			t.Errorf("%q written unquoted:\n%s", s, b)
		}
	}
}
