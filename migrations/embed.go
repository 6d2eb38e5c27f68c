// Package migrations holds the database schema as numbered goose SQL migrations, embedded in the
// binary. Each file has an Up and a Down section; `bizconnect migrate reset` rolls all of them back.
package migrations

import "embed"

// FS holds the SQL migration files.
//
//go:embed *.sql
var FS embed.FS
