package sigconform_test

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/internal/conformcmd"
	"go.yaml.in/yaml/v3"
)

// pendingRunFlags are the `conform run` flags action.yml uses before conform
// has them. Until a flag lands, the test lets it be absent from
// `conform run -h`; once it is there it is checked like any other. Remove
// a name from here when it lands.
var pendingRunFlags = map[string]bool{}

// pendingFormats are -format values in the same position.
var pendingFormats = map[string]bool{}

type action struct {
	Name, Description string
	Branding          map[string]string
	Outputs           map[string]struct{ Description, Value string }
	Inputs            map[string]struct {
		Description string
		Required    bool
		Default     *string
	}
	Runs struct {
		Using string
		Steps []struct {
			Name, ID, Uses, Run, Shell, If string
			Env, With                      map[string]string
		}
	}
}

func readAction(t *testing.T) *action {
	t.Helper()
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

// The flags action.yml passes to `conform run` are the ones conform has, so
// that the action cannot drift from the command.
func TestActionFlagsExist(t *testing.T) {
	a := readAction(t)
	var help bytes.Buffer
	if code := conformcmd.Main([]string{"run", "-h"}, nil, &help, &help); code != 0 && code != 2 {
		t.Fatalf("conform run -h exited %d", code)
	}
	has := func(flag string) bool {
		return regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(flag) + `\b`).Match(help.Bytes())
	}
	// The run step puts every flag conform gets in the bash array flags.
	arrays := regexp.MustCompile(`flags\+?=\(([^)]*)\)`)
	flagWord := regexp.MustCompile(`(?:^|\s)-([a-z][a-z0-9-]*)(?:\s+([^-\s]\S*))?`)
	var used []string
	for _, s := range a.Runs.Steps {
		if !strings.Contains(s.Run, "conform run") {
			continue
		}
		for _, m := range arrays.FindAllStringSubmatch(s.Run, -1) {
			for _, f := range flagWord.FindAllStringSubmatch(m[1], -1) {
				used = append(used, f[1])
				if f[1] == "format" {
					if v := strings.Trim(f[2], `"'`); !pendingFormats[v] && !strings.Contains(help.String(), v) {
						t.Errorf("action.yml: conform run -format %s: conform run -h does not list that format", v)
					}
				}
			}
		}
	}
	if len(used) == 0 {
		t.Fatal("action.yml: no step builds the flags of conform run in a flags=(...) array")
	}
	for _, f := range used {
		if !has(f) && !pendingRunFlags[f] {
			t.Errorf("action.yml: conform run -%s: no such flag in conform run -h", f)
		}
	}
	// The run step must pass the array on, not flags of its own, after
	// the user's args, so that its own win.
	runs := strings.Join(stepRuns(a), "\n")
	if !regexp.MustCompile(`conform run "\$\{extra\[@\]\}" "\$\{flags\[@\]\}"`).MatchString(runs) {
		t.Error(`action.yml: conform run is not given "${extra[@]}" "${flags[@]}"`)
	}
	// Inputs are text: nothing in the action evaluates them as shell.
	if regexp.MustCompile(`\beval\b`).MatchString(runs) {
		t.Error("action.yml: a step uses eval: an input could run commands")
	}
}

// Every ${{ inputs.X }} the action refers to is declared.
func TestActionInputsDeclared(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	b, _ := os.ReadFile("action.yml")
	for _, m := range regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`).FindAllStringSubmatch(string(b), -1) {
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("action.yml uses inputs.%s, which it does not declare", m[1])
		}
	}
	for _, name := range []string{"command", "expect", "args", "version"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("action.yml lacks the input %q", name)
		}
	}
}

func stepRuns(a *action) []string {
	var out []string
	for _, s := range a.Runs.Steps {
		out = append(out, s.Run)
	}
	return out
}
