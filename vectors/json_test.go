package vectors_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// The Go types are ready for a JSON export of the corpus: every key they
// marshal to is snake_case, as in the YAML files.
func TestJSONKeysAreSnakeCase(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) {
					t.Errorf("JSON key %q is not snake_case", k)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, f := range set.Files {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
}
