package postgres_test

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/storetest"
)

// TestKeyRotation runs the conformance suite's key rotation on PostgreSQL.
func TestKeyRotation(t *testing.T) {
	dsn := testDSN(t)
	storetest.RunKeyRotation(t, func(t *testing.T) storetest.RotationStore {
		schema := newSchema(t)
		return storetest.RotationStore{
			Open: func(t *testing.T, keys pii.Keys) (storetest.KeyRotator, error) {
				db, err := postgres.OpenSchema(context.Background(), dsn, schema, keys)
				if err != nil {
					return nil, err
				}
				return db, nil
			},
			Damage: func(t *testing.T, subject string, sealed []byte) {
				if _, err := rawConn(t, schema).Exec(context.Background(), `UPDATE subjects SET pii = $1 WHERE id = $2`, sealed, subject); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}
