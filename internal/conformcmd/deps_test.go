package conformcmd

import (
	"os/exec"
	"strings"
	"testing"
)

// conform links neither the generators nor vectorgen's code: the tamper
// helpers probe shares with the generators are in internal/tamper.
func TestConformDoesNotLinkGenerators(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/sigconform/sigconform/cmd/conform").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/sigconform/sigconform/generators", "github.com/sigconform/sigconform/internal/vectorgencmd":
			t.Errorf("cmd/conform depends on %s", pkg)
		}
	}
}
