package lab

import (
	"fmt"
	"net"
)

// freePorts asks the kernel for n distinct free ports on 127.0.0.1. All are
// held open until every one is chosen, so they differ; another process may
// still take one before its program binds it, and then Start fails with that
// program's log.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
