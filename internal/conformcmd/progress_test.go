package conformcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A fake clock drives the throttling: nothing in the first second, then at
// most one line per interval, the last line blanked by clear.
func TestProgressThrottle(t *testing.T) {
	var now time.Time
	var out bytes.Buffer
	p := startProgress(&out, func() time.Time { return now })
	step := func(d time.Duration, done int, want string) {
		t.Helper()
		now = now.Add(d)
		out.Reset()
		p.update(done, 1000)
		if out.String() != want {
			t.Errorf("after %d cases: wrote %q, want %q", done, out.String(), want)
		}
	}
	step(0, 1, "")
	step(999*time.Millisecond, 2, "")                     // within the first second
	step(time.Millisecond, 3, "\r3/1000 cases")           // a second in
	step(99*time.Millisecond, 4, "")                      // too soon after
	step(time.Millisecond, 5, "\r5/1000 cases")           // an interval later
	step(100*time.Millisecond, 10, "\r10/1000 cases")     // longer
	step(100*time.Millisecond, 999, "\r999/1000 cases")   // same width
	step(100*time.Millisecond, 1000, "\r1000/1000 cases") // longer again

	out.Reset()
	p.clear()
	if want := "\r" + "               " + "\r"; out.String() != want {
		t.Errorf("clear wrote %q, want %q", out.String(), want)
	}
	out.Reset()
	p.clear()
	if out.Len() != 0 {
		t.Errorf("second clear wrote %q", out.String())
	}
}

// A shorter line is padded over the longer one before it.
func TestProgressPads(t *testing.T) {
	var now time.Time
	var out bytes.Buffer
	p := startProgress(&out, func() time.Time { return now })
	now = now.Add(2 * time.Second)
	p.update(100, 100)
	now = now.Add(time.Second)
	out.Reset()
	p.update(5, 10)
	if want := "\r5/10 cases   "; out.String() != want {
		t.Errorf("wrote %q, want %q", out.String(), want)
	}
}

// A run that ends within a second leaves nothing to clear.
func TestProgressQuickRun(t *testing.T) {
	var out bytes.Buffer
	now := time.Now()
	p := startProgress(&out, func() time.Time { return now })
	for i := 1; i <= 10; i++ {
		p.update(i, 10)
	}
	p.clear()
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
}

// A buffer, as in the testscript tests, is not a terminal.
func TestProgressNotTerminal(t *testing.T) {
	if p := newProgress(new(bytes.Buffer)); p != nil {
		t.Error("progress for a bytes.Buffer")
	}
}

// Nor is a file stderr was redirected to.
func TestProgressRedirected(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := newProgress(f); p != nil {
		t.Error("progress for a regular file")
	}
}
