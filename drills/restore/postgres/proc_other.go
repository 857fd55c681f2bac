//go:build !unix

package postgres

import "os/exec"

// Without process groups, stopping the tool reaches the tool alone.
func ownGroup(*exec.Cmd)            {}
func terminate(cmd *exec.Cmd) error { return cmd.Process.Kill() }
func kill(cmd *exec.Cmd) error      { return cmd.Process.Kill() }
