package command

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/scenarios"
)

// New builds a command check that runs on this machine against the
// database of its restore. The scenario is expected to be validated
// already; New still refuses a check it cannot run, naming it.
func New(c scenarios.Check) (assertions.Check, error) {
	cmd, expect, err := parse(c)
	if err != nil {
		return nil, err
	}
	if cmd.Restore == "" || cmd.Pod != nil {
		return nil, fmt.Errorf("check %s: a command check runs against a database with restore set and pod unset", c.Name)
	}
	return &localCheck{name: c.Name, timeout: c.Timeout, argv: cmd.Run, expect: expect}, nil
}

// parse reads what both forms share.
func parse(c scenarios.Check) (*scenarios.CommandCheck, expectation, error) {
	cmd := c.Command
	if cmd == nil {
		return nil, expectation{}, fmt.Errorf("check %s: kind %s is not a command check", c.Name, c.Kind())
	}
	if len(cmd.Run) == 0 || strings.TrimSpace(cmd.Run[0]) == "" {
		return nil, expectation{}, fmt.Errorf("check %s: run names no program: write the program and its arguments", c.Name)
	}
	expect := expectation{exitCode: cmd.ExitCode}
	if cmd.Stdout != "" {
		re, err := regexp.Compile(cmd.Stdout)
		if err != nil {
			return nil, expectation{}, fmt.Errorf("check %s: stdout: %w", c.Name, err)
		}
		expect.stdout = re
	}
	return cmd, expect, nil
}

// NewInPod builds a command check that runs in a pod of the sandbox.
func NewInPod(c scenarios.Check) (assertions.ClusterCheck, error) {
	return newInPod(c, realConnector)
}

func newInPod(c scenarios.Check, connect connector) (assertions.ClusterCheck, error) {
	cmd, expect, err := parse(c)
	if err != nil {
		return nil, err
	}
	if cmd.Pod == nil || cmd.Restore != "" {
		return nil, fmt.Errorf("check %s: a command check runs in a pod with pod set and restore unset", c.Name)
	}
	if cmd.Pod.Name == "" && len(cmd.Pod.Selector) == 0 {
		return nil, fmt.Errorf("check %s: pod names no pod: set name or selector", c.Name)
	}
	return &podCheck{name: c.Name, timeout: c.Timeout, argv: cmd.Run, pod: *cmd.Pod, expect: expect, connect: connect}, nil
}
