//go:build unix

package vectors_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sigconform/sigconform/vectors"
)

// TestLoadRefusesSpecialFiles: a FIFO among the vector files would block
// the loader forever and a link to /dev/zero would grow its memory without
// bound; both are refused by name, and so is a file over MaxFileSize.
func TestLoadRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "big.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(vectors.MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	big.Close()
	done := make(chan error, 1)
	go func() {
		_, err := vectors.Load(os.DirFS(dir))
		done <- err
	}()
	// No deadline: a loader that blocks on the FIFO hangs this test, and
	// go test's own -timeout names it.
	err = <-done
	for _, want := range [][]string{
		{"fifo.yaml", "not a regular file"},
		{"zero.yaml", "not a regular file"},
		{"big.yaml", "larger than the", "bytes a vector file may have"},
	} {
		if !anyErrorHasAll(err, want) {
			t.Errorf("no error mentions all of %q; got:\n%v", want, err)
		}
	}
}
