package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

// SQLSTATE codes that mean "it is there already".
const (
	duplicateObject   = "42710"
	duplicateDatabase = "42P04"
)

// prepare creates the roles the archive needs and the database it goes to.
func prepare(ctx context.Context, srv *sandbox.PostgresServer, database string, roles []string) error {
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		return fault.Infra(fmt.Errorf("cannot reach the sandbox's PostgreSQL at %s: %w", srv.Redacted("postgres"), err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, role := range roles {
		if err := createRole(ctx, conn, role); err != nil {
			return err
		}
	}
	// template0, as pg_dump's documentation asks: template1 may hold
	// objects that the dump would collide with.
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize()+" TEMPLATE template0")
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == duplicateDatabase {
		return fmt.Errorf("database %q already exists in the sandbox: give each restore a database of its own", database)
	}
	if err != nil {
		return fault.Infra(fmt.Errorf("create database %q in the sandbox: %w", database, err))
	}
	return nil
}

// createRole creates role as NOLOGIN unless it exists. Restores that run at
// once may race to create the same role; losing the race is fine.
func createRole(ctx context.Context, conn *pgx.Conn, role string) error {
	var exists bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role).Scan(&exists)
	if err != nil {
		return fault.Infra(fmt.Errorf("look up role %q in the sandbox: %w", role, err))
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" NOLOGIN")
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == duplicateObject {
		return nil
	}
	if err != nil {
		return fault.Infra(fmt.Errorf("create role %q in the sandbox: %w", role, err))
	}
	return nil
}
