// Command drill rehearses disaster recovery: it restores real backups into a
// throwaway place, proves the data is there, and measures RTO and RPO.
package main

import (
	"os"

	"github.com/restore-drill/drill/cmd/drill/app"
)

func main() {
	os.Exit(app.Main())
}
