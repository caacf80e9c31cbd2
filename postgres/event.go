package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// Events lists a subject's stored events in time order (ties by source and
// id), suppressed ones included. An erased subject has none; an unknown one
// is ENOTFOUND.
func (db *DB) Events(ctx context.Context, subject string) ([]opencredit.StoredEvent, error) {
	var out []opencredit.StoredEvent
	err := db.read(ctx, func(tx pgx.Tx) error {
		if _, err := loadSubject(ctx, tx, subject, ""); err != nil {
			return err
		}
		var err error
		out, err = events(ctx, tx, subject)
		return err
	})
	if err != nil {
		return nil, internal("reading events", err)
	}
	return out, nil
}

func events(ctx context.Context, q querier, subject string) ([]opencredit.StoredEvent, error) {
	rows, err := q.Query(ctx, `SELECT e.source, e.id, e.type, e.time, e.received_at, e.content_type, e.data, e.suppressed,
  EXISTS (SELECT 1 FROM disputes d WHERE d.source = e.source AND d.event_id = e.id AND d.status = 'open')
FROM events e WHERE e.subject = $1 ORDER BY e.time, e.source, e.id`, subject)
	if err != nil {
		return nil, internal("reading events", err)
	}
	out := []opencredit.StoredEvent{}
	var e opencredit.StoredEvent
	var at, received int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&e.Source, &e.ID, &e.Type, &at, &received, &e.DataContentType, &data, &e.Suppressed, &e.Disputed}, func() error {
		// SpecVersion is not stored: every accepted event is CloudEvents 1.0.
		e.SpecVersion, e.Subject = "1.0", subject
		e.Time, e.ReceivedAt, e.Data = fromTS(at), fromTS(received), data
		out = append(out, e) // pgx scans each bytea into a fresh slice
		return nil
	})
	if err != nil {
		return nil, internal("reading events", err)
	}
	return out, nil
}

// SuppressEvent removes a disputed event from its subject's features.
func (db *DB) SuppressEvent(ctx context.Context, source, id string) error {
	return db.setSuppressed(ctx, source, id, true)
}

// RestoreEvent puts a suppressed event back into its subject's features.
func (db *DB) RestoreEvent(ctx context.Context, source, id string) error {
	return db.setSuppressed(ctx, source, id, false)
}

// setSuppressed flags the event and rebuilds its subject's state from the
// unsuppressed events, in one transaction: feature states are not
// reversible, so removing an event means recomputing. The subject's row is
// locked before the event's, in the order Ingest takes them, so the two
// never wait on each other in a cycle.
func (db *DB) setSuppressed(ctx context.Context, source, id string, suppressed bool) error {
	notFound := opencredit.Errorf(opencredit.ENOTFOUND, "no event %s from %s", id, source)
	return db.write(ctx, func(tx pgx.Tx) error {
		var subject string
		err := tx.QueryRow(ctx, `SELECT subject FROM events WHERE source = $1 AND id = $2`, source, id).Scan(&subject)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound
		}
		if err != nil {
			return internal("reading an event", err)
		}
		if _, err := loadSubject(ctx, tx, subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE events SET suppressed = $3 WHERE source = $1 AND id = $2`, source, id, suppressed)
		if err != nil {
			return internal("flagging an event", err)
		}
		if tag.RowsAffected() == 0 { // erased while we waited for the lock
			return notFound
		}
		return db.rebuild(ctx, tx, subject)
	})
}

// rebuild recomputes subject's feature state from its unsuppressed events
// in tx and saves it: feature states are not reversible, so taking an
// event out, or changing one, means recomputing. The caller holds the
// subject's row lock.
func (db *DB) rebuild(ctx context.Context, tx pgx.Tx, subject string) error {
	evs, err := events(ctx, tx, subject)
	if err != nil {
		return err
	}
	state, err := ingest.Rebuild(evs)
	if err != nil {
		return internal("rebuilding features", err)
	}
	return (&ingestTx{tx: tx}).SaveStates(ctx, map[string][]byte{subject: state}, db.now())
}

// Features returns a subject's features as of asOf from its live state,
// read with the subject in one statement.
func (db *DB) Features(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	var deleted *int64
	var state []byte
	err := db.pool.QueryRow(ctx, `SELECT s.deleted_at, f.state FROM subjects s
LEFT JOIN feature_states f ON f.subject = s.id WHERE s.id = $1`, subject).Scan(&deleted, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		return opencredit.FeatureVector{}, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", subject)
	}
	if err != nil {
		return opencredit.FeatureVector{}, internal("reading features", err)
	}
	if deleted != nil {
		return opencredit.FeatureVector{}, opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", subject)
	}
	fv, err := ingest.Features(state, subject, asOf, db.cfg)
	if err != nil {
		return opencredit.FeatureVector{}, internal("reading features", err)
	}
	return fv, nil
}

// RecomputeFeatures computes a subject's features as of asOf from its
// unsuppressed events alone.
func (db *DB) RecomputeFeatures(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	var evs []opencredit.StoredEvent
	err := db.read(ctx, func(tx pgx.Tx) error {
		if err := liveSubject(ctx, tx, subject, ""); err != nil {
			return err
		}
		var err error
		evs, err = events(ctx, tx, subject)
		return err
	})
	if err != nil {
		return opencredit.FeatureVector{}, internal("reading events", err)
	}
	st, err := ingest.RebuildState(evs)
	if err != nil {
		return opencredit.FeatureVector{}, internal("recomputing features", err)
	}
	return st.Compute(subject, asOf, db.cfg), nil
}
