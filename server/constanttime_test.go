package server

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// macCompare finds == and != with a signature on either side; a comparison
// with the empty string says whether there is one, not what it is, and is
// let through.
var macCompare = regexp.MustCompile(`\.(Signature|Given)\)?\s*[!=]=\s*[^"\s]|[!=]=\s*[\w.]*\.(Signature|Given)\b`)

// TestMACsComparedInConstantTime reads the source of every package that
// verifies, serves or diagnoses a signature and fails on a plain == or !=
// between signatures: those must go through sigconform.SameMAC or
// hmac.Equal. The generators run offline, on test keys, and are not read.
func TestMACsComparedInConstantTime(t *testing.T) {
	for _, dir := range []string{".", "../scheme", "../internal", "../suites", "../vectors", "../adapter"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			for n := 1; sc.Scan(); n++ {
				line := sc.Text()
				if strings.HasPrefix(strings.TrimSpace(line), "//") {
					continue
				}
				if macCompare.MatchString(line) {
					t.Errorf("%s:%d compares signatures with == or !=; use sigconform.SameMAC:\n\t%s", path, n, strings.TrimSpace(line))
				}
			}
			return sc.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
