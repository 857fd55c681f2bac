// Command etcd is the etcd server the e2e lab stores its cluster in. It is
// built from its Go module (this module, apart from drill's) so the lab needs
// no system etcd and gets a version that serves RequestWatchProgress.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
