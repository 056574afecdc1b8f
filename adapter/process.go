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
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sigconform/sigconform/vectors"
)

// Process is an adapter run as a subprocess: conform writes one request per
// line to its standard input and reads one response per line from its
// standard output. The process stays up for the whole run; one that exits
// with status 0 after answering is started again for the next case, and one
// that hangs, crashes (any other exit) or writes garbage is killed, reported
// as broken for that case, and started again for the next. The process runs
// in a process group of its own, which is killed with it.
//
// When the runner says which cases come next (Lookahead), up to Window
// requests are in flight: the next ones are written before the current
// answer is read, and answers are matched to requests by id, so an adapter
// may answer them in any order. Blame stays per case: a failure is charged
// to the oldest request not yet answered (the one an adapter answering in
// order was working on), or to the one whose time ran out, and every other
// request in flight is sent again, one at a time, to a new process.
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
	// Window is how many requests may be in flight at once: 0 for
	// DefaultProcessWindow, 1 for one at a time. Set it before first use.
	Window int
	// startSpent is set once a start-up ran out of its allowance: that
	// adapter hangs rather than starts slowly, and granting the allowance
	// again to every restart would make each later case cost it too.
	startSpent atomic.Bool

	mu  sync.Mutex // serializes exchanges, and guards what follows
	cur *proc
	pl  plan
	// ahead holds the requests sent before they were asked for, by id.
	ahead map[string]*pcall
	// aloneUntil: the plan's items before this index are sent one at a
	// time, because they were in flight when a process failed.
	aloneUntil int
	// oneShot is set once a process exited with status 0 after
	// answering: requests written ahead to such an adapter are lost.
	oneShot bool

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
	p := &Process{command: command, dir: dir, StartTimeout: DefaultStartTimeout, ahead: make(map[string]*pcall)}
	p.client = client{x: p}
	return p
}

// Lookahead tells p the cases the runner will ask for, in order
// (suites.Lookahead), so that it can send the next ones ahead.
func (p *Process) Lookahead(cases []*vectors.Case) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pl = newPlan(cases)
	p.aloneUntil = 0
	// Answers sent ahead for an earlier run are not this run's.
	p.ahead = make(map[string]*pcall)
}

// SetWindow sets Window; conform run's -window flag (0: automatic).
func (p *Process) SetWindow(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Window = n
}

// window is the number of requests in flight the next exchange may have.
func (p *Process) window() int {
	switch {
	case p.oneShot:
		return 1
	case p.Window > 0:
		return clampWindow(p.Window)
	}
	return DefaultProcessWindow
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
	killOnce sync.Once
	sendq    chan []*pcall // batches of requests for the writer goroutine

	mu       sync.Mutex
	pending  map[string]*pcall // sent and not answered, by id
	order    []*pcall          // the same, oldest first
	answered int               // responses read from this process
	// startTimedOut: the process used up the start-up allowance without
	// answering.
	startTimedOut bool
	// The process's end, set once by fail: dead is closed, failErr says
	// what happened and blamed is the call it is charged to (nil when
	// none is, as after a clean exit following answers: clean is set).
	dead    chan struct{}
	failErr error
	blamed  *pcall
	clean   bool
}

// pcall is one request sent to a process.
type pcall struct {
	pr   *proc
	req  *Request
	idx  int           // its index in the plan, -1 if none
	done chan struct{} // closed when resp is set
	resp *Response
	// writing: conform is writing the request to the pipe; written: the
	// pipe took all of it. Writing and not written at a timeout means the
	// adapter left its input unread. Neither means conform had not come to
	// write it yet (a busy machine), which is no fault of the adapter's.
	writing, written atomic.Bool
}

func (c *pcall) answered() bool { return closed(c.done) }

// closed reports whether ch is closed, without waiting: the channels it is
// given are only ever closed, never sent on.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (p *Process) start() (*proc, error) {
	cmd := exec.Command("sh", "-c", p.command)
	cmd.Dir = p.dir
	setProcessGroup(cmd)
	pr := &proc{
		cmd: cmd, exited: make(chan struct{}), stderr: &tail{max: 2048},
		sendq: make(chan []*pcall, 1024), pending: make(map[string]*pcall), dead: make(chan struct{}),
	}
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
	// Set before pr is registered: from then on Close may kill it, which
	// closes these, from another goroutine.
	pr.stdin, pr.stdout = inW, outR
	pr.out = bufio.NewReaderSize(outR, 64<<10)
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
	go func() {
		_ = cmd.Wait() // cmd.ProcessState says how it ended
		close(pr.exited)
		p.liveMu.Lock()
		delete(p.live, pr)
		p.liveMu.Unlock()
	}()
	go pr.writeLoop()
	go pr.readLoop()
	return pr, nil
}

// readLine reads one response line (readLine); one cut off by the end of
// the output is an error that quotes it.
func (pr *proc) readLine() ([]byte, error) {
	buf, err := readLine(pr.out, "response")
	if err == io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("output ended in the middle of a line: %q: %w", abbreviate(buf), err)
	}
	return buf, err
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
	p.mu.Lock()
	defer p.mu.Unlock()
	idx := p.pl.find(req.ID, req.Op)
	var c *pcall
	if idx >= 0 {
		c = p.ahead[req.ID]
		delete(p.ahead, req.ID)
	}
	// A request in flight when its process failed without it being the
	// one to blame is sent again, alone, to a new process: at most twice,
	// since alone it is always the one to blame (an adapter that answers
	// one request and exits with status 0 gets one silent restart).
	for attempt := 0; ; attempt++ {
		if c != nil && c.answered() {
			return c.resp, nil
		}
		if c != nil && c.pr.failed() {
			// Its process ended before the runner came to it: charged
			// to it, or to be sent again.
			resp, err, retry := c.pr.wait(ctx, c, 0)
			if !retry {
				if p.cur == c.pr {
					p.retire()
				}
				return resp, err
			}
			if idx >= 0 {
				p.aloneUntil = max(p.aloneUntil, idx+1)
			}
			c = nil
		}
		pr, err := p.running()
		if err != nil {
			return nil, err
		}
		var batch []*pcall
		if c == nil || c.pr != pr {
			c = pr.newCall(req, idx)
			batch = append(batch, c)
		}
		pr.send(p.sendAhead(pr, idx, batch))
		resp, err, retry := pr.wait(ctx, c, p.StartAllowance())
		if pr.startTimedOut {
			p.startSpent.Store(true)
		}
		if !retry || attempt >= 2 {
			if err != nil {
				p.retire()
			}
			return resp, err
		}
		if idx >= 0 {
			p.aloneUntil = max(p.aloneUntil, idx+1)
		}
		c = nil
	}
}

// running returns the current process, retiring it first if it failed and
// starting a new one when there is none. p.mu is held.
func (p *Process) running() (*proc, error) {
	if p.cur != nil && p.cur.failed() {
		p.retire()
	}
	if p.cur == nil {
		pr, err := p.start()
		if err != nil {
			return nil, err
		}
		p.cur = pr
	}
	return p.cur, nil
}

// sendAhead adds to batch, the calls about to be sent to pr for the
// request at plan index idx, the requests ahead of it in the plan that pr
// has not been sent, and returns it. p.mu is held.
func (p *Process) sendAhead(pr *proc, idx int, batch []*pcall) []*pcall {
	w := p.window()
	if idx < 0 || idx < p.aloneUntil || w <= 1 {
		return batch
	}
	// The requests ahead are sent in batches, once half the window is
	// free: one write, and one wake-up of the adapter, for several
	// requests, rather than one for each.
	var missing []int
	p.pl.ahead(w, func(i int) {
		if a := p.ahead[p.pl.items[i].c.ID]; a == nil || (a.pr != pr && !a.answered()) {
			missing = append(missing, i)
		}
	})
	if len(batch) > 0 || 2*len(missing) >= w {
		for _, i := range missing {
			a := pr.newCall(p.pl.request(i), i)
			p.ahead[a.req.ID] = a
			batch = append(batch, a)
		}
	}
	return batch
}

// retire ends the current process: the requests sent ahead to it and not
// answered are forgotten, to be sent again one at a time.
func (p *Process) retire() {
	pr := p.cur
	p.cur = nil
	pr.kill()
	pr.mu.Lock()
	if pr.clean {
		p.oneShot = true
	}
	pr.mu.Unlock()
	for id, a := range p.ahead {
		if a.pr == pr && !a.answered() {
			delete(p.ahead, id)
			p.aloneUntil = max(p.aloneUntil, a.idx+1)
		}
	}
	// Requests the runner went past are not waited for.
	for id, a := range p.ahead {
		if a.idx < p.pl.pos-1 {
			delete(p.ahead, id)
		}
	}
}

// newCall registers a call for req, to be sent with send.
func (pr *proc) newCall(req *Request, idx int) *pcall {
	c := &pcall{pr: pr, req: req, idx: idx, done: make(chan struct{})}
	pr.mu.Lock()
	if old := pr.pending[req.ID]; old != nil {
		// The same id asked again while in flight (a caller outside the
		// runner): the new call takes the answer.
		pr.order = slices.DeleteFunc(pr.order, func(o *pcall) bool { return o == old })
	}
	pr.pending[req.ID] = c
	pr.order = append(pr.order, c)
	pr.mu.Unlock()
	return c
}

// send queues calls for the writer, which writes them at once.
func (pr *proc) send(calls []*pcall) {
	if len(calls) == 0 {
		return
	}
	select {
	case pr.sendq <- calls:
	case <-pr.dead:
	}
}

func (pr *proc) failed() bool { return closed(pr.dead) }

// fail records the end of the process: err, charged to blame, or when
// blame is nil to the oldest request not answered, unless clean (an exit
// with status 0 after answering, which is nobody's fault). The first
// failure wins.
func (pr *proc) fail(blame *pcall, err error, clean bool) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.failErr != nil {
		return
	}
	clean = clean && pr.answered > 0
	if blame == nil && !clean && len(pr.order) > 0 {
		blame = pr.order[0]
	}
	pr.failErr, pr.blamed, pr.clean = err, blame, clean
	close(pr.dead)
}

// writeLoop writes the queued requests, flushing when no other is queued:
// one write for a batch of requests sent ahead.
func (pr *proc) writeLoop() {
	pw := &pipeWriter{w: pr.stdin}
	w := bufio.NewWriterSize(pw, 64<<10)
	for {
		var batch []*pcall
		select {
		case batch = <-pr.sendq:
		case <-pr.dead:
			return
		}
		var err error
		for _, c := range batch {
			msg, merr := json.Marshal(c.req)
			if merr == nil && len(msg)+1 > MaxMessage {
				merr = fmt.Errorf("a request longer than %d bytes", MaxMessage)
			}
			if merr != nil {
				pr.fail(c, fmt.Errorf("%w: %v", ErrBroken, merr), false)
				pr.kill()
				return
			}
			pw.expect(c, len(msg)+1)
			c.writing.Store(true)
			_, _ = w.Write(msg)
			err = w.WriteByte('\n')
		}
		if err == nil && len(pr.sendq) == 0 {
			err = w.Flush()
		}
		if err != nil {
			if pr.failed() {
				return
			}
			// The adapter is gone or closed its input: how it ended says
			// whether this is a crash.
			msg, clean := pr.died("stopped reading its input")
			pr.fail(nil, fmt.Errorf("%w: %s", ErrBroken, msg), clean)
			return
		}
	}
}

// pipeWriter writes to an adapter's input and marks each request written
// once the pipe has taken all of its bytes. It writes up to the end of one
// request at a time: a write that spans the end of a request the adapter
// read and the start of one it did not would block as a whole, and leave
// the first unmarked, blamed for a reading the adapter did.
type pipeWriter struct {
	w       io.Writer
	n       int64 // bytes the pipe has taken
	queued  int64 // bytes of the requests expected so far
	pending []pending
}

// pending is a request not yet wholly taken by the pipe, and the offset at
// which its bytes end.
type pending struct {
	c   *pcall
	end int64
}

// expect registers c, the next size bytes to be written.
func (pw *pipeWriter) expect(c *pcall, size int) {
	pw.queued += int64(size)
	pw.pending = append(pw.pending, pending{c, pw.queued})
}

func (pw *pipeWriter) Write(b []byte) (int, error) {
	total := 0
	for len(b) > 0 {
		k := len(b)
		if len(pw.pending) > 0 {
			k = int(min(int64(k), pw.pending[0].end-pw.n))
		}
		n, err := pw.w.Write(b[:k])
		pw.n += int64(n)
		total += n
		b = b[n:]
		for len(pw.pending) > 0 && pw.pending[0].end <= pw.n {
			pw.pending[0].c.written.Store(true)
			pw.pending = pw.pending[1:]
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// readLoop reads the answers and hands each to the call of its id. Any
// line that is not the answer to a request in flight ends the process.
func (pr *proc) readLoop() {
	for {
		b, err := pr.readLine()
		if err != nil {
			if pr.failed() {
				return // killed: what the killer recorded stands
			}
			switch {
			case errors.Is(err, io.EOF):
				msg, clean := pr.died("ended its output")
				pr.fail(nil, fmt.Errorf("%w: %s", ErrBroken, msg), clean)
			case errors.Is(err, io.ErrUnexpectedEOF):
				// A crash in the middle of an answer: how it ended
				// belongs in the report too. Half an answer is never a
				// clean exit.
				msg, _ := pr.died("ended its output")
				pr.fail(nil, fmt.Errorf("%w: %v; %s", ErrBroken, err, msg), false)
			default:
				pr.fail(nil, fmt.Errorf("%w: %v", ErrBroken, err), false)
			}
			pr.kill()
			return
		}
		resp, err := decodeResponse(b)
		pr.mu.Lock()
		var c *pcall
		if err == nil {
			c = pr.pending[resp.ID]
			if c == nil {
				// An answer for no request in flight (a stray line):
				// the adapter is out of step with its requests, and
				// the oldest one is what it was answering.
				asked := ""
				if len(pr.order) > 0 {
					asked = pr.order[0].req.ID
				}
				err = fmt.Errorf("%w: answered for id %q, asked for %q", ErrBroken, resp.ID, asked)
			}
		}
		if err != nil {
			pr.mu.Unlock()
			pr.fail(nil, err, false)
			pr.kill()
			return
		}
		delete(pr.pending, resp.ID)
		if len(pr.order) > 0 && pr.order[0] == c {
			pr.order = pr.order[1:]
		} else {
			pr.order = slices.DeleteFunc(pr.order, func(o *pcall) bool { return o == c })
		}
		pr.answered++
		c.resp = resp
		close(c.done)
		pr.mu.Unlock()
	}
}

// wait waits for the answer to c, giving up at the context's deadline, or
// startAllowance after it while the process has not answered yet. retry
// reports that the process failed and c is not to blame: it is to be sent
// again.
func (pr *proc) wait(ctx context.Context, c *pcall, startAllowance time.Duration) (resp *Response, err error, retry bool) {
	pr.mu.Lock()
	startingUp := pr.answered == 0 && startAllowance > 0
	pr.mu.Unlock()
	done := ctx.Done()
	var timer <-chan time.Time
	if deadline, ok := ctx.Deadline(); ok && startingUp {
		t := time.NewTimer(time.Until(deadline.Add(startAllowance)))
		defer t.Stop()
		timer, done = t.C, nil
	}
	select {
	case <-c.done:
		return c.resp, nil, false
	case <-pr.dead:
	case <-done:
	case <-timer:
	}
	if !pr.failed() {
		what := "no answer before the timeout"
		if c.writing.Load() && !c.written.Load() {
			what = "the adapter did not read the request before the timeout"
		}
		pr.fail(c, pr.timeout(what, startingUp, startAllowance), false)
		pr.kill()
	}
	if c.answered() {
		return c.resp, nil, false
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.blamed == c {
		return nil, pr.failErr, false
	}
	return nil, nil, true
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

// decodeResponse reads one response strictly: an unknown field is more
// likely a typo ("signture") than an extension.
func decodeResponse(b []byte) (*Response, error) {
	if resp, ok := fastResponse(b); ok {
		return resp, nil
	}
	return slowResponse(b)
}

// slowResponse is decodeResponse with encoding/json only.
func slowResponse(b []byte) (*Response, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var resp Response
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("%w: not a response (%v): %q", ErrBroken, err, abbreviate(b))
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one JSON value on a line: %q", ErrBroken, abbreviate(b))
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
