package audit_test

import (
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// The SQLite and PostgreSQL storages run the same suite in their packages.
func TestMemoryStorage(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage { return audit.NewMemoryStorage() })
}
