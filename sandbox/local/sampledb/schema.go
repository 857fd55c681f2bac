package sampledb

// schemaSQL creates the tables; keys, indexes and the foreign key come after
// the rows are loaded (see indexSQL), which is much faster for large
// databases, as pg_restore does too.
const schemaSQL = `
CREATE TABLE customers (
    id    bigserial PRIMARY KEY,
    name  text NOT NULL,
    email text NOT NULL
);
COMMENT ON TABLE customers IS 'Who is billed.';

CREATE TABLE invoices (
    id          bigserial,
    customer_id bigint NOT NULL,
    amount      numeric(12,2) NOT NULL CHECK (amount >= 0),
    created_at  timestamptz NOT NULL,
    payload     text NOT NULL DEFAULT ''
);
COMMENT ON TABLE invoices IS 'One row per invoice sent; payload stands for the document.';
`

// loadCustomersSQL's parameter: $1 customers.
const loadCustomersSQL = `
INSERT INTO customers (id, name, email)
SELECT g, 'Customer ' || g, 'customer' || g || '@example.com'
FROM generate_series(1, $1::bigint) AS g
`

// loadInvoicesSQL's parameters: $1 customers, $2 invoices, $3 newest
// created_at, $4 payload length in characters. The payload is hex text from
// one sha512 per 128 characters, so that it does not compress to nothing
// (about 2:1).
const loadInvoicesSQL = `
INSERT INTO invoices (id, customer_id, amount, created_at, payload)
SELECT g,
       ((g - 1) % $1::bigint) + 1,
       ((g * 7919) % 100000) / 100.0,
       $3::timestamptz - ($2::bigint - g) * interval '1 minute',
       CASE WHEN $4::int = 0 THEN '' ELSE (
           SELECT left(string_agg(encode(sha512(convert_to(random()::text || g || ':' || k, 'UTF8')), 'hex'), ''), $4::int)
           FROM generate_series(1, ($4::int + 127) / 128) AS k
       ) END
FROM generate_series(1, $2::bigint) AS g
`

// indexSQL adds what a real schema has and sets the sequences past the
// loaded ids, so that an application could insert right after a restore.
const indexSQL = `
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
ALTER TABLE invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id);
CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);
CREATE INDEX invoices_created_at_idx ON invoices (created_at);

CREATE VIEW customer_totals AS
SELECT c.id AS customer_id, c.name, count(i.id) AS invoices, coalesce(sum(i.amount), 0) AS total
FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id
GROUP BY c.id, c.name;

SELECT setval('customers_id_seq', greatest((SELECT max(id) FROM customers), 1), (SELECT count(*) > 0 FROM customers));
SELECT setval('invoices_id_seq', greatest((SELECT max(id) FROM invoices), 1), (SELECT count(*) > 0 FROM invoices));
ANALYZE;
`
