package sampledb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/restore-drill/drill/sandbox"
)

// Options shape the sample database.
type Options struct {
	// Invoices is the number of invoice rows (0 makes an empty table).
	Invoices int
	// Customers is the number of customers; 0 means one per 20 invoices, at
	// least one.
	Customers int
	// Newest is created_at of the newest invoice, to the microsecond; older
	// ones are a minute apart, going back in time. Zero means an hour ago.
	Newest time.Time
	// PayloadBytes is the length of each invoice's payload text, so that a
	// benchmark can make a large archive.
	PayloadBytes int
}

// customers is the number of customers o makes.
func (o Options) customers() int {
	if o.Customers > 0 {
		return o.Customers
	}
	return max(1, o.Invoices/20)
}

// newest is o.Newest as PostgreSQL will store it.
func (o Options) newest(now time.Time) time.Time {
	if o.Newest.IsZero() {
		return now.Add(-time.Hour).Truncate(time.Microsecond)
	}
	return o.Newest.Truncate(time.Microsecond)
}

func (o Options) validate() error {
	var errs []error
	if o.Invoices < 0 {
		errs = append(errs, fmt.Errorf("invoices is %d, want 0 or more", o.Invoices))
	}
	if o.Customers < 0 {
		errs = append(errs, fmt.Errorf("customers is %d, want 0 or more", o.Customers))
	}
	if o.PayloadBytes < 0 {
		errs = append(errs, fmt.Errorf("payload bytes is %d, want 0 or more", o.PayloadBytes))
	}
	return errors.Join(errs...)
}

// Create makes the database on srv and fills it. The database must not exist.
func Create(ctx context.Context, srv *sandbox.PostgresServer, database string, o Options) error {
	if err := o.validate(); err != nil {
		return fmt.Errorf("sample database %s: %w", database, err)
	}
	if err := createDatabase(ctx, srv, database); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, srv.ConnString(database))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", srv.Redacted(database), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"create the tables", schemaSQL, nil},
		{"load the customers", loadCustomersSQL, []any{o.customers()}},
		{"load the invoices", loadInvoicesSQL, []any{o.customers(), o.Invoices, o.newest(time.Now()), o.PayloadBytes}},
		{"add keys and indexes", indexSQL, nil},
	}
	// Without arguments, pgx sends a script in one round trip (simple protocol).
	for _, s := range steps {
		if _, err := conn.Exec(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("sample database %s on %s: %s: %w", database, srv.Redacted(database), s.what, err)
		}
	}
	return nil
}

// createDatabase runs CREATE DATABASE from the postgres database.
func createDatabase(ctx context.Context, srv *sandbox.PostgresServer, database string) error {
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", srv.Redacted("postgres"), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" {
		return fmt.Errorf("sample database %s already exists on %s: pick another name or drop it first", database, srv.Redacted("postgres"))
	}
	if err != nil {
		return fmt.Errorf("create sample database %s on %s: %w", database, srv.Redacted("postgres"), err)
	}
	return nil
}
