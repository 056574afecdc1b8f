package vectorgencmd

import (
	"bytes"
	"crypto/sha256"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"github.com/sigconform/sigconform/generators"
)

// generatedMemo holds the last generated and marshalled vector files of this
// process with the digest of the reports that marked them. The generators
// and the YAML writer are nine tenths of a vectorgen run and give the same
// bytes for the same reports, so a process that runs vectorgen several
// times (the command tests run it a dozen times in one process) does that
// work once per set of reports. A real vectorgen process runs once and
// only pays for the digest.
var generatedMemo struct {
	sync.Mutex
	key    [sha256.Size]byte
	valid  bool
	want   map[string][]byte
	stderr []byte // what marking wrote on stderr: written again on a hit
}

// generatedFiles returns every generated vector file's content by path,
// marked cross-checked by the conformance reports in dir ("none" for no
// reports). The map is the caller's to change.
func generatedFiles(reports string, stderr io.Writer) (map[string][]byte, error) {
	key, err := reportsDigest(reports)
	if err != nil {
		return nil, err
	}
	m := &generatedMemo
	m.Lock()
	defer m.Unlock()
	if m.valid && m.key == key {
		stderr.Write(m.stderr)
		return maps.Clone(m.want), nil
	}
	var notes bytes.Buffer
	want, err := generateAndMarshal(reports, io.MultiWriter(stderr, &notes))
	if err != nil {
		return nil, err
	}
	m.key, m.valid, m.want, m.stderr = key, true, maps.Clone(want), notes.Bytes()
	return want, nil
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

// reportsDigest is a digest of the reports directory's name and of the
// name and content of every file in it: all that marking reads.
func reportsDigest(dir string) ([sha256.Size]byte, error) {
	h := sha256.New()
	io.WriteString(h, dir+"\x00")
	if dir != "none" {
		entries, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			return [sha256.Size]byte{}, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return [sha256.Size]byte{}, err
			}
			io.WriteString(h, e.Name()+"\x00")
			h.Write(b)
			h.Write([]byte{0})
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, nil
}
