//go:build unix

package adapter_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sigconform/sigconform/adapter"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// hangBound is how long a test waits before calling something a hang: far
// beyond what any bounded wait in Process takes, even on a busy machine.
const hangBound = 30 * time.Second

// startAdapter runs script as the adapter command in a fresh directory; the
// script writes its pid ($$) to the file pid there, which adapterPID reads.
func startAdapter(t *testing.T, script string) (*adapter.Process, string) {
	t.Helper()
	dir := t.TempDir()
	p := adapter.NewProcess("echo $$ > pid; "+script, dir)
	return p, dir
}

// adapterPID waits for the adapter to write its pid, and makes sure the
// process is gone when the test ends even if Process failed to end it.
func adapterPID(t *testing.T, dir string) int {
	t.Helper()
	for deadline := time.Now().Add(hangBound); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(dir, "pid"))
		if err != nil || !strings.HasSuffix(string(b), "\n") {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) })
		return pid
	}
	t.Fatal("the adapter did not write its pid")
	return 0
}

// gone reports whether no process pid exists any more (a zombie still does).
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// within runs f and fails the test if it has not returned within hangBound.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(hangBound):
		t.Fatalf("%s hung", what)
	}
}

// An adapter that closes its standard output and stays alive costs one
// broken case, not a hang: conform waits a bounded time for it to exit,
// kills it, and says so; Close leaves no process behind.
func TestProcessClosesStdoutAndStays(t *testing.T) {
	t.Parallel() // waits out deadlines and grace periods: let it overlap
	p, dir := startAdapter(t, "exec >&-; exec sleep 1000")
	c := firstCase(t, vectors.Sign)
	var err error
	within(t, "Sign", func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangBound)
		defer cancel()
		_, err = p.Sign(ctx, c.Input())
	})
	pid := adapterPID(t, dir)
	if !errors.Is(err, adapter.ErrBroken) || !strings.Contains(err.Error(), "killed") {
		t.Errorf("got %v, want ErrBroken saying the adapter was killed", err)
	}
	within(t, "Close", func() { p.Close() })
	if !gone(pid) {
		t.Errorf("adapter process %d still exists after Close", pid)
	}
}

// Close ends the adapter even while an exchange with no deadline waits for
// it: it must not wait for the lock that exchange holds.
func TestProcessCloseDuringExchange(t *testing.T) {
	p, dir := startAdapter(t, "exec sleep 1000")
	c := firstCase(t, vectors.Sign)
	errc := make(chan error, 1)
	go func() {
		_, err := p.Sign(context.Background(), c.Input())
		errc <- err
	}()
	pid := adapterPID(t, dir)
	within(t, "Close", func() { p.Close() })
	if !gone(pid) {
		t.Errorf("adapter process %d still exists after Close", pid)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, adapter.ErrBroken) {
			t.Errorf("got %v, want ErrBroken", err)
		}
	case <-time.After(hangBound):
		t.Fatal("the exchange did not end with the adapter")
	}
}

// goAdapter is the command that runs this test binary as the Go reference
// adapter (see TestMain).
func goAdapter(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return adapterEnv + "=stdio exec " + exe
}

// An adapter slower to start than the case timeout passes: start-up has its
// own allowance, which the runner waits for too.
func TestProcessSlowStart(t *testing.T) {
	t.Parallel() // waits out deadlines and grace periods: let it overlap
	p := adapter.NewProcess("sleep 2; "+goAdapter(t), "")
	defer p.Close()
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := set.Cases()[:3]
	r := &suites.Runner{Signer: p, Verifier: p, Timeout: time.Second}
	rep := r.Run(context.Background(), cases)
	for _, c := range rep.Cases {
		if c.Status != suites.Pass {
			t.Errorf("%s: %s %s", c.ID, c.Status, c.Error)
		}
	}
}

// Start-up that runs out of its allowance is reported as such, not as a
// case timeout; the allowance is not granted again to a restart.
func TestProcessStartTimeout(t *testing.T) {
	p := adapter.NewProcess("exec sleep 1000", "")
	p.StartTimeout = 100 * time.Millisecond
	defer p.Close()
	c := firstCase(t, vectors.Sign)
	sign := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := p.Sign(ctx, c.Input())
		return err
	}
	want := "did not answer its first request within the start-up allowance (-start-timeout 100ms)"
	if err := sign(); !errors.Is(err, adapter.ErrBroken) || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want ErrBroken saying %q", err, want)
	}
	if p.StartAllowance() != 0 {
		t.Errorf("start-up allowance %v after it ran out once, want 0", p.StartAllowance())
	}
	if err := sign(); err == nil || !strings.Contains(err.Error(), "no answer before the timeout") {
		t.Fatalf("got %v, want no answer before the timeout", err)
	}
}

// A crash is reported with how the process ended and its standard error,
// however it shows: here it dies of a signal in the middle of its answer.
func TestProcessCrashMidLine(t *testing.T) {
	p := adapter.NewProcess(`read -r req; printf '{"id":'; echo boom >&2; kill -ABRT $$`, "")
	defer p.Close()
	c := firstCase(t, vectors.Sign)
	ctx, cancel := context.WithTimeout(context.Background(), hangBound)
	defer cancel()
	_, err := p.Sign(ctx, c.Input())
	for _, want := range []string{"output ended in the middle of a line", "signal: aborted", "boom"} {
		if !errors.Is(err, adapter.ErrBroken) || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want ErrBroken mentioning %q", err, want)
		}
	}
}
