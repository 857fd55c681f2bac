package command

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/restore-drill/drill/sandbox"
)

// clientEnviron is drill's environment with the PG* variables of the
// database connString names, the connection sql checks use: the program
// reaches the restored database as psql would, and the password is passed
// in the environment only. It also returns the password, so that output
// that repeats it can be cleaned.
func clientEnviron(connString string) ([]string, string, error) {
	cfg, err := pgconn.ParseConfig(connString)
	if err != nil {
		// The error can quote the connection string: say only that it failed.
		return nil, "", fmt.Errorf("the restored database's connection string cannot be read")
	}
	srv := sandbox.PostgresServer{Host: cfg.Host, Port: int(cfg.Port), User: cfg.User, Password: cfg.Password}
	return srv.ClientEnviron(cfg.Database), cfg.Password, nil
}
