package vectorgencmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/vectors"
)

// The README's table of vector counts sits between these markers and is
// written by vectorgen, so that the numbers a reader sees are the files'.
const (
	countsBegin = "<!-- BEGIN vector-counts: written by vectorgen, do not edit -->\n"
	countsEnd   = "<!-- END vector-counts -->\n"
)

// allFiles returns every vector file: the generated ones as they would be
// written, and the hand-written ones in dir.
func allFiles(dir string, generated map[string][]byte) ([]*vectors.File, error) {
	files, err := handWritten(dir, generated)
	if err != nil {
		return nil, err
	}
	for _, name := range sortedNames(generated) {
		if filepath.Ext(name) != ".yaml" {
			continue
		}
		f, err := parse(filepath.Join(dir, name), generated[name])
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b *vectors.File) int {
		return strings.Compare(a.Scheme+"/"+a.Topic, b.Scheme+"/"+b.Topic)
	})
	return files, nil
}

// countsTable is the Markdown table of cases per scheme and topic.
func countsTable(files []*vectors.File) string {
	var b strings.Builder
	b.WriteString("| scheme | topic | sign | verify | published | cross-checked | generated |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	type row struct{ sign, verify, pub, cross, gen int }
	var total row
	for _, f := range files {
		var r row
		for _, c := range f.Cases {
			if c.Kind == vectors.Sign {
				r.sign++
			} else {
				r.verify++
			}
			switch c.Source {
			case vectors.Published:
				r.pub++
			case vectors.CrossChecked:
				r.cross++
			case vectors.Generated:
				r.gen++
			}
		}
		total.sign, total.verify = total.sign+r.sign, total.verify+r.verify
		total.pub, total.cross, total.gen = total.pub+r.pub, total.cross+r.cross, total.gen+r.gen
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d |\n", f.Scheme, f.Topic, r.sign, r.verify, r.pub, r.cross, r.gen)
	}
	fmt.Fprintf(&b, "| **all** | | %d | %d | %d | %d | %d |\n", total.sign, total.verify, total.pub, total.cross, total.gen)
	return b.String()
}

// withCounts returns the README with the table between the markers
// replaced.
func withCounts(readme []byte, table string) ([]byte, error) {
	i := bytes.Index(readme, []byte(countsBegin))
	j := bytes.Index(readme, []byte(countsEnd))
	if i < 0 || j < i {
		return nil, fmt.Errorf("the README has no %q ... %q section", strings.TrimSpace(countsBegin), strings.TrimSpace(countsEnd))
	}
	var out bytes.Buffer
	out.Write(readme[:i+len(countsBegin)])
	out.WriteString(table)
	out.Write(readme[j:])
	return out.Bytes(), nil
}

// readmeUpdate returns the README at path with fresh counts of files (the
// corpus allFiles read).
func readmeUpdate(path string, files []*vectors.File) ([]byte, error) {
	old, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return withCounts(old, countsTable(files))
}
