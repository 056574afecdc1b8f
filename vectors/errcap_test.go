package vectors_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// leafErrors flattens joined errors into the *vectors.Error values.
func leafErrors(err error) []*vectors.Error {
	var out []*vectors.Error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ve *vectors.Error
		if errors.As(e, &ve) {
			out = append(out, ve)
		}
	}
	walk(err)
	return out
}

// badFile is a v2 file of n cases, each with an unknown field, ending with
// tail.
func badFile(format string, n int, tail string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s\nscheme: zstack\ntopic: big\ncases:\n", format)
	for i := range n {
		fmt.Fprintf(&b, `  - id: zstack/big/case-%d
    title: case %d
    kind: sign
    source: generated
    bogus: 1
    credentials:
      access_key: SIGCONFORMTESTKEY0001
      secret_key: sigconform-test-secret
    request:
      method: GET
      url: http://zstack.example.test:8080/zstack/v1/zones
    expected:
      signature: xxxx
`, i, i)
	}
	b.WriteString(tail)
	return b.String()
}

// A file of thousands of bad cases (a generator gone wrong) gives the
// first MaxErrors errors and the line where reading stopped, not one
// error per case; and reading does stop there: a syntax error at the end
// of the file, which a whole reading would report instead, is not
// reached.
func TestLoadCapsErrorsPerFile(t *testing.T) {
	const n = 5000
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zstack"), 0o755); err != nil {
		t.Fatal(err)
	}
	data := badFile(vectors.FormatV2, n, "  - id: [unclosed\n")
	if err := os.WriteFile(filepath.Join(dir, "zstack", "big.yaml"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := vectors.Load(os.DirFS(dir))
	errs := leafErrors(err)
	if len(errs) != vectors.MaxErrors+1 {
		t.Fatalf("got %d errors, want %d and the line where reading stopped; the first: %v", len(errs), vectors.MaxErrors, errs[:min(3, len(errs))])
	}
	for i, e := range errs[:vectors.MaxErrors] {
		if want := fmt.Sprintf("case zstack/big/case-%d", i); !strings.Contains(e.Error(), want) || !strings.Contains(e.Msg, `unknown field "bogus"`) {
			t.Errorf("error %d: %v, want %s: unknown field", i, e, want)
		}
	}
	last := errs[vectors.MaxErrors]
	if want := fmt.Sprintf("stopped reading after %d errors", vectors.MaxErrors); !strings.Contains(last.Msg, want) || last.File != "zstack/big.yaml" {
		t.Errorf("last error %v, want %q", last, want)
	}
	// The 21st case starts on line 5 + 20*13.
	if want := 5 + vectors.MaxErrors*13; last.Line != want {
		t.Errorf("stopped at line %d, want %d (the first case not read)", last.Line, want)
	}
	if len(err.Error()) > 10000 {
		t.Errorf("the message is %d bytes", len(err.Error()))
	}
}

// The cap holds where yaml.v3 reads the file (here a v1 file), and a file
// with fewer errors than the cap gets them all, with no stop line.
func TestParseCapsErrorsOnEveryPath(t *testing.T) {
	_, err := vectors.Parse("big.yaml", []byte(badFile(vectors.FormatV1, 300, "")))
	errs := leafErrors(err)
	if len(errs) != vectors.MaxErrors+1 || !strings.Contains(errs[vectors.MaxErrors].Msg, "stopped reading") {
		t.Fatalf("v1: got %d errors, want %d and the stop line: %v", len(errs), vectors.MaxErrors, err)
	}
	_, err = vectors.Parse("few.yaml", []byte(badFile(vectors.FormatV2, vectors.MaxErrors-1, "")))
	errs = leafErrors(err)
	if len(errs) != vectors.MaxErrors-1 {
		t.Fatalf("got %d errors, want %d: %v", len(errs), vectors.MaxErrors-1, err)
	}
	for _, e := range errs {
		if strings.Contains(e.Msg, "stopped reading") {
			t.Errorf("a stop line with fewer errors than the cap: %v", e)
		}
	}
	// One case with more errors than the cap: the rest are counted.
	one := badFile(vectors.FormatV2, 1, "")
	var extra strings.Builder
	for i := range vectors.MaxErrors + 5 {
		fmt.Fprintf(&extra, "    bogus%d: 1\n", i)
	}
	one = strings.Replace(one, "    bogus: 1\n", extra.String(), 1)
	_, err = vectors.Parse("one.yaml", []byte(one))
	errs = leafErrors(err)
	if len(errs) != vectors.MaxErrors+1 || errs[vectors.MaxErrors].Msg != "and 5 more errors" {
		t.Fatalf("got %d errors, want %d and \"and 5 more errors\": %v", len(errs), vectors.MaxErrors, err)
	}
}
