//go:build unix

package adapter

import (
	"os/exec"
	"syscall"
)

// An adapter runs in its own process group, so that killing it also kills
// what sh -c started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
