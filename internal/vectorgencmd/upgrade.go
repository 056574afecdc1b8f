package vectorgencmd

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sigconform/sigconform/generators"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

// upgrade rewrites every vector file in dir in the current format
// (sigconform/v2): the cases stay what they are, only how they are written
// changes. A v1 file has no descriptions of its variants; they come from
// the scheme packages, which name every variant a vector may cite.
func upgrade(dir string, stdout, stderr io.Writer) int {
	var names []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".yaml" {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "vectorgen: %v\n", err)
		return 1
	}
	code := 0
	for _, name := range names {
		path := filepath.Join(dir, name)
		out, changed, err := upgradeFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "vectorgen: %v\n", err)
			code = 1
			continue
		}
		if !changed {
			continue
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			fmt.Fprintf(stderr, "vectorgen: %v\n", err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "upgraded %s\n", path)
	}
	return code
}

// upgradeFile returns the file at path in format v2, and whether that
// differs from what is there. A file already in v2 is left as it is.
func upgradeFile(path string) ([]byte, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, err
	}
	f, err := vectors.Parse(path, data)
	if err != nil {
		return nil, false, err
	}
	if f.Format == vectors.FormatV2 {
		return data, false, nil
	}
	s, ok := scheme.Lookup(f.Scheme)
	if !ok {
		return nil, false, fmt.Errorf("%s: unknown scheme %q: cannot describe its variants", path, f.Scheme)
	}
	f.Variants = generators.DescribeVariants(s, f.Cases)
	for i := range f.Variants {
		// The file's own references: those its cases cite most.
		f.Variants[i].Refs = nil
	}
	out, err := vectors.Marshal(f)
	if err != nil {
		return nil, false, err
	}
	// Keep what comes before the document: the generated-file header, or
	// a person's comments.
	var head []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("#")) {
			break
		}
		head = append(head, line...)
	}
	return append(head, out...), true, nil
}
