package conformcmd

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows how many cases a run has done on one line of a terminal,
// rewritten in place ("\r1234/5678 cases"). A run that ends within a second
// shows nothing, and the line is rewritten at most every interval, so that a
// fast run is not slowed by the terminal and a report is not preceded by a
// flicker.
type progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time // when the line was last written
	width int       // of the line last written, for clear
}

const (
	progressDelay    = time.Second
	progressInterval = 100 * time.Millisecond
)

// newProgress returns a progress that writes to stderr when stderr is a
// terminal, and nil otherwise: a redirected stderr (a log, a CI job) gets
// no carriage returns. The check cannot be tested by the testscript tests,
// whose stderr is never a terminal.
func newProgress(stderr io.Writer) *progress {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return startProgress(f, time.Now)
}

func startProgress(w io.Writer, now func() time.Time) *progress {
	return &progress{w: w, now: now, start: now()}
}

// update is a suites.Runner's Progress.
func (p *progress) update(done, total int) {
	t := p.now()
	if t.Sub(p.start) < progressDelay || p.width > 0 && t.Sub(p.last) < progressInterval {
		return
	}
	line := fmt.Sprintf("%d/%d cases", done, total)
	// Padded to the last line's width: a shorter line would leave the
	// end of the longer one on screen.
	fmt.Fprintf(p.w, "\r%-*s", p.width, line)
	p.last, p.width = t, max(p.width, len(line))
}

// clear blanks the line, if one was written, so that what follows starts
// at the beginning of an empty line.
func (p *progress) clear() {
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}
