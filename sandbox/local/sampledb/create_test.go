package sampledb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		o    Options
		want string // "" for valid
	}{
		{Options{}, ""},
		{Options{Invoices: 10, Customers: 3, PayloadBytes: 100}, ""},
		{Options{Invoices: -1}, "invoices is -1"},
		{Options{Customers: -2}, "customers is -2"},
		{Options{PayloadBytes: -3}, "payload bytes is -3"},
	}
	for _, tt := range tests {
		err := tt.o.validate()
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("validate(%+v) = %v, want %q", tt.o, err, tt.want)
		}
	}
	// Invalid options fail before any connection is tried.
	if err := Create(context.Background(), &sandbox.PostgresServer{Host: "127.0.0.1", Port: 1}, "x", Options{Invoices: -1}); err == nil ||
		!strings.Contains(err.Error(), "invoices is -1") {
		t.Errorf("Create with invalid options = %v, want the validation error", err)
	}
}

func TestOptionsDefaults(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)
	tests := []struct {
		o         Options
		customers int
		newest    time.Time
	}{
		{Options{}, 1, now.Add(-time.Hour).Truncate(time.Microsecond)},
		{Options{Invoices: 1000}, 50, now.Add(-time.Hour).Truncate(time.Microsecond)},
		{Options{Invoices: 1000, Customers: 7, Newest: now}, 7, time.Date(2025, 6, 1, 12, 0, 0, 123456000, time.UTC)},
	}
	for _, tt := range tests {
		if got := tt.o.customers(); got != tt.customers {
			t.Errorf("%+v: customers = %d, want %d", tt.o, got, tt.customers)
		}
		if got := tt.o.newest(now); !got.Equal(tt.newest) {
			t.Errorf("%+v: newest = %v, want %v", tt.o, got, tt.newest)
		}
	}
}

// expectedTotal is sum(amount) by the documented formula.
func expectedTotal(invoices int) float64 {
	cents := 0
	for i := 1; i <= invoices; i++ {
		cents += (i * 7919) % 100000
	}
	return float64(cents) / 100
}

func TestCreate(t *testing.T) {
	srv := localtest.Start(t)
	newest := time.Date(2025, 3, 4, 5, 6, 7, 890123000, time.UTC)
	tests := []struct {
		name      string
		o         Options
		customers int
	}{
		{"empty", Options{Newest: newest}, 1},
		{"no payload", Options{Invoices: 100, Newest: newest}, 5},
		{"payload and customers", Options{Invoices: 1000, Customers: 7, PayloadBytes: 300, Newest: newest}, 7},
		{"short payload", Options{Invoices: 10, PayloadBytes: 5, Newest: newest}, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			db := "billing_" + string(rune('a'+i))
			if err := Create(ctx, srv, db, tt.o); err != nil {
				t.Fatalf("Create: %v", err)
			}
			conn, err := pgx.Connect(ctx, srv.ConnString(db))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)

			var customers, invoices, badPayloads, orphans int
			var total float64
			var newestGot, oldestGot *time.Time
			err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM customers), count(*), coalesce(sum(amount), 0)::float8,
				max(created_at), min(created_at), count(*) FILTER (WHERE length(payload) <> $1),
				(SELECT count(*) FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id))
				FROM invoices`, tt.o.PayloadBytes).Scan(&customers, &invoices, &total, &newestGot, &oldestGot, &badPayloads, &orphans)
			if err != nil {
				t.Fatal(err)
			}
			if customers != tt.customers || invoices != tt.o.Invoices {
				t.Errorf("customers, invoices = %d, %d; want %d, %d", customers, invoices, tt.customers, tt.o.Invoices)
			}
			if want := expectedTotal(tt.o.Invoices); total != want {
				t.Errorf("sum(amount) = %v, want %v", total, want)
			}
			if badPayloads != 0 || orphans != 0 {
				t.Errorf("%d payloads are not %d characters; %d invoices have no customer", badPayloads, tt.o.PayloadBytes, orphans)
			}
			if tt.o.Invoices == 0 {
				if newestGot != nil {
					t.Errorf("newest invoice of an empty table = %v", newestGot)
				}
				return
			}
			if newestGot == nil || !newestGot.Equal(newest) {
				t.Errorf("newest created_at = %v, want %v", newestGot, newest)
			}
			if want := newest.Add(-time.Duration(tt.o.Invoices-1) * time.Minute); oldestGot == nil || !oldestGot.Equal(want) {
				t.Errorf("oldest created_at = %v, want %v", oldestGot, want)
			}
			var nextID int
			if err := conn.QueryRow(ctx, "INSERT INTO invoices (customer_id, amount, created_at) VALUES (1, 1, now()) RETURNING id").Scan(&nextID); err != nil {
				t.Fatalf("insert after load: %v", err)
			}
			if nextID != tt.o.Invoices+1 {
				t.Errorf("next invoice id = %d, want %d", nextID, tt.o.Invoices+1)
			}
			if _, err := conn.Exec(ctx, "INSERT INTO invoices (customer_id, amount, created_at) VALUES (-1, 1, now())"); err == nil {
				t.Error("an invoice for a missing customer was accepted, want the foreign key to refuse it")
			}
		})
	}
}

func TestCreateRefusesExistingDatabase(t *testing.T) {
	srv := localtest.Start(t)
	ctx := context.Background()
	if err := Create(ctx, srv, "twice", Options{Invoices: 1}); err != nil {
		t.Fatalf("first Create: %v", err)
	}
	err := Create(ctx, srv, "twice", Options{Invoices: 1})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second Create = %v, want an already-exists error", err)
	}
	if strings.Contains(err.Error(), srv.Password) {
		t.Error("the error shows the password")
	}
}
