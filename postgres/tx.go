package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// read runs fn in a read-only REPEATABLE READ transaction: one snapshot for
// all of fn's statements, so a subject check and the reads after it agree.
func (db *DB) read(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// write runs fn in a READ COMMITTED transaction and commits it, running it
// again from the start when PostgreSQL aborted it for a deadlock or a
// serialization failure, or ingestion met a stored event; fn's writes are in its transaction only, so a
// retry repeats nothing.
func (db *DB) write(ctx context.Context, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn)
		if err == nil {
			return nil
		}
		if !retryable(err) || attempt == maxAttempts {
			return internal("transaction", err)
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// maxAttempts bounds how often a transaction is tried.
const maxAttempts = 5

// pause waits a little longer after each failed attempt, so the transaction
// that won the conflict can finish.
func pause(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sqlState returns the SQLSTATE of a PostgreSQL error in err's chain, "" if none.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// SQLSTATEs the store acts on (PostgreSQL, Appendix A).
const (
	uniqueViolation      = "23505"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

// retryable reports whether a transaction failed only because of a
// concurrent one, so running it again from the start is safe.
func retryable(err error) bool {
	if errors.Is(err, errStoredEvent) {
		return true
	}
	s := sqlState(err)
	return s == serializationFailure || s == deadlockDetected
}
