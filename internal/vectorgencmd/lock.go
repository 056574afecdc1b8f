package vectorgencmd

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sigconform/sigconform/vectors"
)

const lockName = "ids.lock"

const lockHeader = `# Every vector id ever written, with a hash of its input. vectorgen refuses
# to give an id other content; an id whose case is gone stays here, retired.
# Maintained by cmd/vectorgen.
`

// inputHash identifies what a case asks of an implementation: its kind and
// input. Titles, expected values and sources may change under an id (a bug
// fixed in the reference, a case cross-checked); the question may not.
func inputHash(c *vectors.Case) string {
	in := c.Input()
	in.ID = "" // the id is the key, not part of what it names
	b, _ := json.Marshal(struct {
		Kind   vectors.Kind
		Input  any
		Tamper string
	}{c.Kind, in, c.Tamper})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// buildLock returns the new ids.lock: the old one's entries plus every case
// of files (allFiles: the generated files and the hand-written ones in dir).
// It fails when an id's input differs from what the lock recorded.
func buildLock(dir string, files []*vectors.File) ([]byte, error) {
	old, err := readLock(filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	entries := maps.Clone(old)
	var errs []error
	for _, f := range files {
		for i := range f.Cases {
			c := &f.Cases[i]
			h := inputHash(c)
			if prev, ok := old[c.ID]; ok && prev != h {
				errs = append(errs, fmt.Errorf("%s: case %s: the input differs from what %s recorded for this id; ids are never reused: give the case a new name", c.Pos(), c.ID, lockName))
				continue
			}
			entries[c.ID] = h
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(lockHeader)
	ids := make([]string, 0, len(entries))
	for id := range entries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(&buf, "%s %s\n", id, entries[id])
	}
	return buf.Bytes(), nil
}

func readLock(path string) (map[string]string, error) {
	out := map[string]string{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, h, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"<id> <hash>\"", path, n)
		}
		out[id] = h
	}
	return out, sc.Err()
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// handWritten loads the vector files in dir that vectorgen does not write.
func handWritten(dir string, generated map[string][]byte) ([]*vectors.File, error) {
	var out []*vectors.File
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a new directory: nothing written by hand yet
	}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
			return err
		}
		if _, gen := generated[p]; gen {
			return nil
		}
		path := filepath.Join(dir, p)
		b, err := os.ReadFile(path)
		if err != nil || bytes.HasPrefix(b, []byte(generatedHeader)) {
			return err
		}
		f, err := parse(path, b)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}
