package adapter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Process is an adapter run as a subprocess: conform writes one request per
// line to its standard input and reads one response per line from its
// standard output. The process stays up for the whole run; one that exits
// with status 0 after answering is started again for the next case, and one
// that hangs, crashes (any other exit) or writes garbage is killed, reported
// as broken for that case, and started again for the next. The process runs
// in a process group of its own, which is killed with it.
type Process struct {
	client
	command string
	dir     string

	// StartTimeout is the start-up allowance: how long past its context's
	// deadline the exchange with a process that has not answered yet may
	// run. Start-up (a runtime loading, a version manager's shim) is the
	// adapter's, not the case's; it runs from the start of the process to
	// its first answer, and counts against no case's timeout.
	// NewProcess sets it to DefaultStartTimeout; set it before first use.
	StartTimeout time.Duration
	// startSpent is set once a start-up ran out of its allowance: that
	// adapter hangs rather than starts slowly, and granting the allowance
	// again to every restart would make each later case cost it too.
	startSpent atomic.Bool

	mu  sync.Mutex // serializes exchanges: the protocol is one line in, one out
	cur *proc

	// live is every process started and not yet exited, under its own
	// lock: Close must reach them while an exchange holds mu.
	liveMu sync.Mutex
	live   map[*proc]struct{}
	closed bool
}

// How long conform waits for a child process, so that no wait is unbounded.
const (
	// exitGrace is how long an adapter whose output ended or that stopped
	// reading has to exit before it is killed.
	exitGrace = time.Second
	// killWait is how long a killed process has to be gone.
	killWait = 5 * time.Second
)

// DefaultStartTimeout is the start-up allowance of a new Process: ample
// for an interpreter behind a shim on a busy machine.
const DefaultStartTimeout = 30 * time.Second

// NewProcess returns an adapter that runs command with sh -c in dir ("" for
// the current directory). The process starts on first use.
func NewProcess(command, dir string) *Process {
	p := &Process{command: command, dir: dir, StartTimeout: DefaultStartTimeout}
	p.client = client{x: p}
	return p
}

// StartAllowance is how long past its context's deadline the next exchange
// may run if it starts a process: p.StartTimeout, or 0 once a start-up ran
// out of it. suites.Runner waits that much longer for a call.
func (p *Process) StartAllowance() time.Duration {
	if p.startSpent.Load() {
		return 0
	}
	return p.StartTimeout
}

// Close kills the process group of every adapter process still running and
// waits, a bounded time, for them to be gone. It does not wait for an
// exchange in flight (killing its process is what ends it). The Process
// starts no process after Close.
func (p *Process) Close() error {
	p.liveMu.Lock()
	p.closed = true
	var procs []*proc
	for pr := range p.live {
		procs = append(procs, pr)
	}
	p.liveMu.Unlock()
	for _, pr := range procs {
		pr.kill()
	}
	var errs []error
	for _, pr := range procs {
		if !pr.waitExit(killWait) {
			errs = append(errs, fmt.Errorf("adapter process %d still running %v after it was killed", pr.cmd.Process.Pid, killWait))
		}
	}
	return errors.Join(errs...)
}

// proc is one running adapter process.
type proc struct {
	cmd      *exec.Cmd
	stdin    *os.File // write end of the adapter's standard input
	stdout   *os.File // read end of its standard output
	out      *bufio.Reader
	exited   chan struct{} // closed when the process has exited; cmd.ProcessState is then set
	stderr   *tail
	answered int // responses read from this process
	// startTimedOut: the process used up the start-up allowance without
	// answering.
	startTimedOut bool
	killOnce      sync.Once
}

func (p *Process) start() (*proc, error) {
	cmd := exec.Command("sh", "-c", p.command)
	cmd.Dir = p.dir
	setProcessGroup(cmd)
	pr := &proc{cmd: cmd, exited: make(chan struct{}), stderr: &tail{max: 2048}}
	cmd.Stderr = pr.stderr
	// Pipes of our own, not cmd.StdinPipe and StdoutPipe: their ends are
	// *os.File with deadlines, so a call can read and write in the caller's
	// goroutine and still give up on time; and Wait does not close the read
	// end, which would lose the answer of an adapter that answers and exits.
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout = inR, outW
	cmd.WaitDelay = time.Second // bounds Wait when a child keeps stderr open
	// Started and registered under liveMu, so that Close, which holds it to
	// list the processes, misses none and none starts after it.
	p.liveMu.Lock()
	if p.closed {
		err = errors.New("the adapter was closed")
	} else {
		err = cmd.Start()
	}
	if err == nil {
		if p.live == nil {
			p.live = make(map[*proc]struct{})
		}
		p.live[pr] = struct{}{}
	}
	p.liveMu.Unlock()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("%w: starting %q: %v", ErrBroken, p.command, err)
	}
	pr.stdin, pr.stdout = inW, outR
	pr.out = bufio.NewReaderSize(outR, 64<<10)
	go func() {
		_ = cmd.Wait() // cmd.ProcessState says how it ended
		close(pr.exited)
		p.liveMu.Lock()
		delete(p.live, pr)
		p.liveMu.Unlock()
	}()
	return pr, nil
}

// readLine reads one line, refusing one longer than MaxMessage rather than
// buffering without bound.
func (pr *proc) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := pr.out.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxMessage {
			return nil, fmt.Errorf("a response line longer than %d bytes", MaxMessage)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(buf) > 0:
			return nil, fmt.Errorf("output ended in the middle of a line: %q: %w", abbreviate(buf), io.ErrUnexpectedEOF)
		case err != nil:
			return nil, err
		}
		return buf, nil
	}
}

// kill ends the process's group, whatever the process started, and closes
// conform's ends of its pipes, which ends an exchange blocked on them. It
// may be called more than once, and concurrently.
func (pr *proc) kill() {
	pr.killOnce.Do(func() {
		pr.stdin.Close()
		killProcessGroup(pr.cmd)
		pr.stdout.Close()
	})
}

// waitExit waits at most d for the process to exit and reports whether it
// did.
func (pr *proc) waitExit(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-pr.exited:
		return true
	case <-t.C:
		return false
	}
}

// died describes how the process ended once it did what, ended its output
// or stopped reading, always with its exit status and the end of its
// standard error, and reports whether it exited with status 0. One that is
// still running after exitGrace is killed: an adapter that closed its output
// but stays up would otherwise be waited for forever.
func (pr *proc) died(what string) (msg string, clean bool) {
	msg = "the adapter exited without answering"
	if !pr.waitExit(exitGrace) {
		pr.kill()
		msg = fmt.Sprintf("the adapter %s but was still running %v later, so its process group was killed", what, exitGrace)
		if !pr.waitExit(killWait) {
			msg += fmt.Sprintf(" (and was still there %v after that)", killWait)
		}
	}
	select {
	case <-pr.exited:
		// ProcessState, not Wait's error: Wait also fails when a
		// grandchild holds standard error open past WaitDelay, yet the
		// adapter did exit with 0.
		if ps := pr.cmd.ProcessState; ps != nil {
			clean = ps.Success()
			msg += " (" + ps.String() + ")"
		}
	default:
	}
	if s := strings.TrimSpace(pr.stderr.String()); s != "" {
		msg += "; its standard error ended: " + s
	}
	return msg, clean
}

func (p *Process) exchange(ctx context.Context, req *Request) (*Response, error) {
	msg, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	msg = append(msg, '\n')
	p.mu.Lock()
	defer p.mu.Unlock()
	// An adapter may answer one request and exit with status 0; the exit
	// can land after its answer was read and before the next request is
	// written, so such a process gets one silent restart. Any other end
	// (a non-zero status, a signal, output closed without exiting) is a
	// crash, which this case reports, however many answers came before.
	for attempt := 0; ; attempt++ {
		if p.cur == nil {
			if p.cur, err = p.start(); err != nil {
				return nil, err
			}
		}
		pr := p.cur
		resp, err, exitedCleanly := pr.exchange(ctx, msg, req.ID, p.StartAllowance())
		if err == nil {
			pr.answered++
			return resp, nil
		}
		if pr.startTimedOut {
			p.startSpent.Store(true)
		}
		// Whatever went wrong, the process may be out of step with the
		// protocol (mid-answer, or an answer behind): the next case gets
		// a fresh one.
		pr.kill()
		p.cur = nil
		if !(exitedCleanly && pr.answered > 0 && attempt == 0) {
			return nil, err
		}
	}
}

// exchange writes one request, msg, and reads the response to it, giving up
// at the context's deadline, or startAllowance after it while the process
// has not answered yet. exitedCleanly reports that the process exited with
// status 0 without answering.
func (pr *proc) exchange(ctx context.Context, msg []byte, id string, startAllowance time.Duration) (resp *Response, err error, exitedCleanly bool) {
	select {
	case <-pr.exited:
		return pr.brokenByExit("exited")
	default:
	}
	deadline, _ := ctx.Deadline() // the zero time, no deadline, when there is none
	startingUp := pr.answered == 0 && startAllowance > 0
	if startingUp && !deadline.IsZero() {
		deadline = deadline.Add(startAllowance)
	}
	_ = pr.stdin.SetWriteDeadline(deadline)
	_ = pr.stdout.SetReadDeadline(deadline)
	if _, err := pr.stdin.Write(msg); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, pr.timeout("the adapter did not read the request before the timeout", startingUp, startAllowance), false
		}
		// The adapter is gone or closed its input: how it ended says
		// whether this is a crash.
		return pr.brokenByExit("stopped reading its input")
	}
	b, err := pr.readLine()
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, pr.timeout("no answer before the timeout", startingUp, startAllowance), false
	case errors.Is(err, io.EOF):
		return pr.brokenByExit("ended its output")
	case errors.Is(err, io.ErrUnexpectedEOF):
		// A crash in the middle of an answer: how it ended belongs in the
		// report too. Half an answer is never a clean exit.
		msg, _ := pr.died("ended its output")
		return nil, fmt.Errorf("%w: %v; %s", ErrBroken, err, msg), false
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrBroken, err), false
	}
	resp, err = decodeResponse(b, id)
	return resp, err, false
}

// timeout is the error of an exchange that ran out of time, what. One
// during start-up names the allowance that ran out as well, so that a slow
// start is not taken for a slow case; it names conform run's flag because
// that is where a user sets the allowance.
func (pr *proc) timeout(what string, startingUp bool, startAllowance time.Duration) error {
	if startingUp {
		pr.startTimedOut = true
		return fmt.Errorf("%w: the adapter did not answer its first request within the start-up allowance (-start-timeout %v) on top of the timeout", ErrBroken, startAllowance)
	}
	return fmt.Errorf("%w: %s", ErrBroken, what)
}

// brokenByExit is exchange's answer when the process did what (exited,
// ended its output, stopped reading) instead of answering.
func (pr *proc) brokenByExit(what string) (*Response, error, bool) {
	msg, clean := pr.died(what)
	return nil, fmt.Errorf("%w: %s", ErrBroken, msg), clean
}

// decodeResponse reads one response to the request id strictly: an unknown
// field is more likely a typo ("signture") than an extension. An answer for
// another id is refused here, as part of the exchange, so that a Process
// restarts an adapter whose answers are out of step with its requests
// (after a stray line, every later answer would be one request late).
func decodeResponse(b []byte, id string) (*Response, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var resp Response
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("%w: not a response (%v): %q", ErrBroken, err, abbreviate(b))
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one JSON value on a line: %q", ErrBroken, abbreviate(b))
	}
	if resp.ID != id {
		return nil, fmt.Errorf("%w: answered for id %q, asked for %q", ErrBroken, resp.ID, id)
	}
	return &resp, nil
}

func abbreviate(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
