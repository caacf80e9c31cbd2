package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
)

// pgTest is a fresh PostgreSQL schema of a command-line test: base is the
// server's connection string (OPENCREDIT_TEST_POSTGRES), dsn the one for
// --postgres, whose search_path is the schema.
type pgTest struct {
	base, schema, dsn string
}

// pgSchema skips t, naming what it would run, unless
// OPENCREDIT_TEST_POSTGRES names a server; there it makes a schema of its
// own, with every migration applied, dropped when the test ends.
func pgSchema(t *testing.T, what string) pgTest {
	t.Helper()
	base := os.Getenv("OPENCREDIT_TEST_POSTGRES")
	if base == "" {
		t.Skip("set OPENCREDIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run " + what)
	}
	var b [6]byte
	rand.Read(b[:])
	pg := pgTest{base: base, schema: "opencredit_test_" + hex.EncodeToString(b[:])}
	t.Cleanup(func() { postgres.DropSchema(context.Background(), base, pg.schema) })
	pg.open(t).Close()
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	pg.dsn = base + sep + "search_path=" + pg.schema
	return pg
}

// open opens the store on the schema; the caller closes it.
func (pg pgTest) open(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.OpenSchema(context.Background(), pg.base, pg.schema, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	return db
}
