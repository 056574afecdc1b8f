package vectorgencmd

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/sigconform/sigconform/generators"
)

// Memoize makes every later vectorgen run of this process keep the files it
// generated and marshalled, with a digest of the reports that marked them,
// and serve them to the next run whose reports have the same digest. The
// generators and the YAML writer are nine tenths of a vectorgen run and
// give the same bytes for the same reports, so a process that runs
// vectorgen many times (the command tests, a dozen times) does that work
// once per set of reports. A vectorgen process runs once, and does not
// call it: it would only pay for the digests.
func Memoize() {
	generatedMemo.Lock()
	defer generatedMemo.Unlock()
	generatedMemo.on = true
}

// generatedMemo is what Memoize keeps.
var generatedMemo struct {
	sync.Mutex
	on     bool
	key    [sha256.Size]byte
	want   map[string][]byte // nil until a run kept its files
	stderr []byte            // what marking wrote on stderr: written again on a hit
}

// generatedFiles returns every generated vector file's content by path,
// marked cross-checked by the conformance reports in dir ("none" for no
// reports). The map and its contents are the caller's to change.
func generatedFiles(reports string, stderr io.Writer) (map[string][]byte, error) {
	m := &generatedMemo
	m.Lock()
	defer m.Unlock()
	if !m.on {
		return generateAndMarshal(reports, stderr)
	}
	key, keyErr := reportsDigest(reports)
	if keyErr == nil && m.want != nil && m.key == key {
		stderr.Write(m.stderr)
		return cloneFiles(m.want), nil
	}
	var notes bytes.Buffer
	want, err := generateAndMarshal(reports, io.MultiWriter(stderr, &notes))
	if err != nil {
		return nil, err
	}
	// Kept only if the reports read the same after marking as before: a
	// report rewritten meanwhile leaves nothing to serve for either.
	if after, err := reportsDigest(reports); keyErr == nil && err == nil && after == key {
		m.key, m.want, m.stderr = key, cloneFiles(want), notes.Bytes()
	}
	return want, nil
}

// cloneFiles copies files and every file's content.
func cloneFiles(files map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for name, b := range files {
		out[name] = bytes.Clone(b)
	}
	return out
}

// generateAndMarshal runs the generators, marks the cases the reports in
// dir cross-check, and marshals every file.
func generateAndMarshal(reports string, stderr io.Writer) (map[string][]byte, error) {
	files, err := generators.Files()
	if err != nil {
		return nil, err
	}
	if reports != "none" {
		if err := markCrossChecked(reports, files, stderr); err != nil {
			return nil, err
		}
	}
	return marshalAll(files)
}

// reportsDigest is a digest of the reports directory's name and of what
// marking reads there (loadReports): the name and content of every *.json
// file, and the two lists, or that they are absent. An error (a report
// that cannot be read) means no digest: the generators run and their
// result is not kept, and marking says what is wrong, as without the memo.
func reportsDigest(dir string) ([sha256.Size]byte, error) {
	h := sha256.New()
	io.WriteString(h, dir+"\x00")
	if dir != "none" {
		names, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return [sha256.Size]byte{}, err
		}
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				return [sha256.Size]byte{}, err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(name), len(b))
			h.Write(b)
		}
		for _, name := range []string{investigatingName, lineageName} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			fmt.Fprintf(h, "%s\x00%t\x00%d\x00", name, err == nil, len(b))
			h.Write(b)
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, nil
}
