package local

import (
	"fmt"
	"net"
)

// freePort asks the kernel for a free port on 127.0.0.1. Another process may
// take it before postgres binds it; Create retries when that happens.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
