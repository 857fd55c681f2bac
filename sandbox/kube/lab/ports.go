package lab

import (
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
)

// The lab's ports are chosen from below the kernel's ephemeral range
// (32768 and up on Linux), which serves every bind to port 0 and every
// outgoing connection: a port chosen there could be taken by any socket in
// the short time before the lab's program binds it, and a second lab
// starting at the same moment could be handed it again.
const (
	firstPort = 20000
	lastPort  = 32767
)

// handedOut are the ports this process has given to a lab, so that two
// labs started at once in one process never share one.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// freePorts picks n distinct ports on 127.0.0.1, at random below the
// ephemeral range, that are free now and were never handed out before by
// this process. Another process may still bind one before the lab's
// program does; Start then fails with that program's log.
func freePorts(n int) ([]int, error) {
	handedOut.Lock()
	defer handedOut.Unlock()
	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries == 1000 {
			return nil, fmt.Errorf("find %d free ports on 127.0.0.1 between %d and %d: only %d found in %d tries", n, firstPort, lastPort, len(ports), tries)
		}
		port := firstPort + rand.IntN(lastPort-firstPort+1)
		if handedOut.ports[port] {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // in use
		}
		_ = l.Close()
		handedOut.ports[port] = true
		ports = append(ports, port)
	}
	return ports, nil
}
