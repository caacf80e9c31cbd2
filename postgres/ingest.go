package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// Ingest validates and stores a batch in one READ COMMITTED transaction,
// updating the features of every subject it touches (see ingest.Batch).
//
// Two importers may send overlapping batches at once. The batch first locks
// its subjects' rows, in id order (KnownSubjects), so the read-modify-write
// of their feature states is never interleaved with another batch's; and the
// events' primary key decides between two inserts of one (source, id): the
// second waits for the first to commit, then fails on the key, and its batch
// runs again, looking first, and reports the event a duplicate, never an
// error nor counted twice (InsertEvents). Events are inserted in key order, so two batches
// cannot deadlock on them either; should PostgreSQL still abort a batch for
// a deadlock or a serialization failure, it runs again from the start.
func (db *DB) Ingest(ctx context.Context, batch []opencredit.Event) ([]opencredit.IngestResult, error) {
	var res []opencredit.IngestResult
	var last *ingestTx
	now := db.now()
	lookFirst := db.lookFirst.Load() // set too when an attempt meets a stored event
	err := db.write(ctx, func(tx pgx.Tx) error {
		var err error
		last = &ingestTx{tx: tx, db: db, lookFirst: &lookFirst}
		res, err = ingest.Batch(ctx, last, batch, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	if last.versionRead {
		db.consents.learn(last.version, last.open, now)
	}
	db.lookFirst.Store(last.foundStored)
	return res, nil
}

// RawInsert inserts events into the events table as they are, without
// validation, consent checks, duplicate handling or features, in one
// transaction with the statement Ingest inserts with: the baseline Ingest is
// measured against. Every event's subject must exist (the table has a
// foreign key) and every (source, id) must be new.
func (db *DB) RawInsert(ctx context.Context, events []opencredit.Event) error {
	now := db.now()
	rows := make([]ingest.Row, len(events))
	for i, e := range events {
		rows[i] = ingest.Row{Event: e, ReceivedAt: now}
	}
	return db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, insertEventsSQL, eventArgs(rows)...)
		return err
	})
}

// insertEventsSQL inserts a whole batch in one statement: each column is
// sent as one array parameter and unnest turns the arrays back into rows,
// so the statement is the same, and prepared once per connection, whatever
// the batch size.
const insertEventsSQL = `INSERT INTO events (source, id, subject, type, time, content_type, data, received_at)
SELECT u.source, u.id, u.subject, u.type, u.time, u.content_type, u.data, $8
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bytea[])
  AS u(source, id, subject, type, time, content_type, data)`

// eventArgs are insertEventsSQL's arguments for rows, which share one
// ReceivedAt (Batch and RawInsert stamp a batch with one moment).
//
// The rows go in (source, id) order, the primary key's: two transactions
// inserting some of the same keys then meet on them in the same order, so
// one waits for the other and they never deadlock; it also fills the key's
// index in order.
func eventArgs(rows []ingest.Row) []any {
	n := len(rows)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := strings.Compare(rows[i].Source, rows[j].Source); c != 0 {
			return c
		}
		return strings.Compare(rows[i].ID, rows[j].ID)
	})
	source, id, subject, typ, contentType := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	at := make([]int64, n)
	data := make([][]byte, n)
	for i, k := range order {
		r := &rows[k]
		source[i], id[i], subject[i], typ[i], contentType[i] = r.Source, r.ID, r.Subject, r.Type, r.DataContentType
		at[i], data[i] = ts(r.Time), r.Data
	}
	var received int64
	if n > 0 {
		received = ts(rows[0].ReceivedAt)
	}
	return []any{source, id, subject, typ, at, contentType, data, received}
}

// ingestTx implements ingest.Tx in an open READ COMMITTED transaction,
// with one statement per primitive whatever the batch size. Batch asks for
// subjects first and, later, for their states: KnownSubjects reads
// the states in the same round trip as it locks the subjects, since no other
// transaction may change them while the locks are held, and LoadStates
// answers from what it read.
type ingestTx struct {
	tx pgx.Tx
	db *DB

	// What FurnishingConsents read: the consent_version counter, and the
	// pairs it found open, for the cache once the batch commits.
	versionRead bool
	version     int64
	open        []ingest.Pair

	states   map[string][]byte // by subject, for the subjects locked that have one
	prefetch map[string]bool   // the subjects states were read for

	// lookFirst tells InsertEvents to ask which events are stored before
	// inserting; it outlives the attempt that set it. foundStored says the
	// asking found some.
	lookFirst   *bool
	foundStored bool
}

// lockSubjectsSQL locks the live subjects' rows until the transaction ends.
// FOR NO KEY UPDATE excludes other batches and erasures of the same subjects
// but not the foreign-key checks of inserts that reference them (which take
// FOR KEY SHARE); ORDER BY id makes every transaction take its locks in the
// same order, so two batches never deadlock on subjects.
const lockSubjectsSQL = `SELECT id FROM subjects WHERE id = ANY($1) AND deleted_at IS NULL ORDER BY id FOR NO KEY UPDATE`

// KnownSubjects locks the live subjects among ids (see lockSubjectsSQL) and,
// in the same round trip, reads their feature states. The states are read by
// a statement that starts after the locks are held, so they are the last
// committed ones.
func (t *ingestTx) KnownSubjects(ctx context.Context, ids []string) (map[string]bool, error) {
	var b pgx.Batch
	b.Queue(lockSubjectsSQL, ids)
	b.Queue(`SELECT subject, state FROM feature_states WHERE subject = ANY($1)`, ids)
	res := t.tx.SendBatch(ctx, &b)
	defer res.Close()

	known := make(map[string]bool, len(ids))
	var id string
	if err := forEach(res, []any{&id}, func() { known[id] = true }); err != nil {
		return nil, err
	}
	t.states = make(map[string][]byte, len(ids))
	var state []byte
	if err := forEach(res, []any{&id, &state}, func() { t.states[id] = state }); err != nil {
		return nil, err
	}
	t.prefetch = make(map[string]bool, len(ids))
	for _, id := range ids {
		t.prefetch[id] = true
	}
	return known, res.Close()
}

// forEach reads the next result of a batch, scanning each row into dest.
func forEach(res pgx.BatchResults, dest []any, fn func()) error {
	rows, err := res.Query()
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, dest, func() error {
		fn()
		return nil
	})
	return err
}

// FurnishingConsents answers with the positions of the pairs that hold a
// consent, not the pairs themselves: a few thousand integers are cheaper to
// read than as many pairs of strings.
func (t *ingestTx) FurnishingConsents(ctx context.Context, pairs []ingest.Pair, at time.Time) (map[ingest.Pair]bool, error) {
	if err := t.tx.QueryRow(ctx, `SELECT version FROM consent_version WHERE id = 1 FOR SHARE`).Scan(&t.version); err != nil {
		return nil, err
	}
	t.versionRead = true
	ok := t.db.consents.known(t.version, pairs, at)
	var rest []ingest.Pair
	for _, p := range pairs {
		if !ok[p] {
			rest = append(rest, p)
		}
	}
	if len(rest) == 0 {
		return ok, nil
	}
	// Most consents are open: read every open furnishing consent of the
	// subjects asked about (one index range each, and the cache learns
	// their other furnishers too), then look closer at the rest.
	subjects := ingest.SubjectsOf(rest)
	rows, err := t.tx.Query(ctx, `SELECT subject, counterparty FROM consents
WHERE subject = ANY($1) AND purpose = $2 AND granted_at <= $3 AND withdrawn_at IS NULL`,
		subjects, opencredit.PurposeFurnishing, ts(at))
	if err != nil {
		return nil, err
	}
	var p ingest.Pair
	if _, err := pgx.ForEachRow(rows, []any{&p.Subject, &p.Source}, func() error {
		t.open = append(t.open, p)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, p := range t.open {
		ok[p] = true
	}
	var closer []ingest.Pair
	for _, p := range rest {
		if !ok[p] {
			closer = append(closer, p)
		}
	}
	if len(closer) == 0 {
		return ok, nil
	}
	subjects, sources := make([]string, len(closer)), make([]string, len(closer))
	for i, p := range closer {
		subjects[i], sources[i] = p.Subject, p.Source
	}
	rows, err = t.tx.Query(ctx, `SELECT p.n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(subject, source, n)
WHERE EXISTS (SELECT 1 FROM consents c
    WHERE c.subject = p.subject AND c.counterparty = p.source AND c.purpose = $3
      AND c.granted_at <= $4 AND (c.withdrawn_at IS NULL OR c.withdrawn_at > $4))`,
		subjects, sources, opencredit.PurposeFurnishing, ts(at))
	if err != nil {
		return nil, err
	}
	var n int64 // 1-based
	_, err = pgx.ForEachRow(rows, []any{&n}, func() error {
		if n < 1 || n > int64(len(closer)) {
			return fmt.Errorf("postgres: consent lookup returned position %d of %d pairs", n, len(closer))
		}
		ok[closer[n-1]] = true
		return nil
	})
	return ok, err
}

// InsertEvents inserts the rows with a plain INSERT, as the raw baseline
// does: stored events are rare, and INSERT ... ON CONFLICT DO NOTHING
// checks and confirms every row (speculative insertion), which measured
// slower, as did asking first which events are stored. When the INSERT
// fails on the primary key (an event stored before, or inserted by a
// transaction that committed while this one waited for it), the batch runs
// again from the start (errStoredEvent is retryable), and that attempt and
// any after it first ask which events are stored and insert only the others.
func (t *ingestTx) InsertEvents(ctx context.Context, rows []ingest.Row) ([]bool, error) {
	out := make([]bool, len(rows))
	for i := range out {
		out[i] = true
	}
	fresh := rows
	if t.lookFirst != nil && *t.lookFirst {
		stored, err := t.storedEvents(ctx, rows)
		if err != nil {
			return nil, err
		}
		if len(stored) > 0 {
			t.foundStored = true
			fresh = make([]ingest.Row, 0, len(rows)-len(stored))
			for i, r := range rows {
				if stored[i] {
					out[i] = false
				} else {
					fresh = append(fresh, r)
				}
			}
		}
	}
	if len(fresh) == 0 {
		return out, nil
	}
	tag, err := t.tx.Exec(ctx, insertEventsSQL, eventArgs(fresh)...)
	if sqlState(err) == uniqueViolation && t.lookFirst != nil {
		*t.lookFirst = true
		return nil, fmt.Errorf("%w: %w", errStoredEvent, err)
	}
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() != int64(len(fresh)) {
		return nil, fmt.Errorf("postgres: inserted %d of %d events", tag.RowsAffected(), len(fresh))
	}
	return out, nil
}

// storedEvents returns the positions of the rows whose (source, id) is stored.
func (t *ingestTx) storedEvents(ctx context.Context, rows []ingest.Row) (map[int]bool, error) {
	sources, ids := make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		sources[i], ids[i] = r.Source, r.ID
	}
	q, err := t.tx.Query(ctx, `SELECT u.n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(source, id, n)
WHERE EXISTS (SELECT 1 FROM events e WHERE e.source = u.source AND e.id = u.id)`, sources, ids)
	if err != nil {
		return nil, err
	}
	stored := map[int]bool{}
	var n int64 // 1-based
	_, err = pgx.ForEachRow(q, []any{&n}, func() error {
		if n < 1 || n > int64(len(rows)) || stored[int(n-1)] {
			return fmt.Errorf("postgres: stored-event lookup returned position %d of %d rows", n, len(rows))
		}
		stored[int(n-1)] = true
		return nil
	})
	return stored, err
}

// errStoredEvent marks a batch whose INSERT met a stored event: running it
// again, looking first, reports the event a duplicate.
var errStoredEvent = errors.New("postgres: an event of the batch is stored already")

// LoadStates answers from what KnownSubjects read.
func (t *ingestTx) LoadStates(ctx context.Context, subjects []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(subjects))
	for _, s := range subjects {
		if !t.prefetch[s] {
			return nil, fmt.Errorf("postgres: feature state asked for subject %s, which KnownSubjects was not asked about", s)
		}
		if b, ok := t.states[s]; ok {
			out[s] = b
		}
	}
	return out, nil
}

// SaveStates updates the states of subjects that have one and inserts the
// others, in one round trip. Outside Ingest (suppression, restoration),
// where KnownSubjects has not run, it upserts.
func (t *ingestTx) SaveStates(ctx context.Context, states map[string][]byte, at time.Time) error {
	var upd, ins []string
	var updB, insB [][]byte
	for s, b := range states {
		if _, ok := t.states[s]; ok {
			upd, updB = append(upd, s), append(updB, b)
		} else {
			ins, insB = append(ins, s), append(insB, b)
		}
	}
	var b pgx.Batch
	if len(upd) > 0 {
		b.Queue(`UPDATE feature_states f SET state = u.state, updated_at = $3
FROM unnest($1::text[], $2::bytea[]) AS u(subject, state) WHERE f.subject = u.subject`, upd, updB, ts(at)).Exec(
			func(tag pgconn.CommandTag) error {
				// The rows were read under this transaction's locks: all must be there.
				if n := tag.RowsAffected(); n != int64(len(upd)) {
					return fmt.Errorf("postgres: updated %d of %d feature states", n, len(upd))
				}
				return nil
			})
	}
	if len(ins) > 0 {
		b.Queue(`INSERT INTO feature_states (subject, state, updated_at)
SELECT u.subject, u.state, $3 FROM unnest($1::text[], $2::bytea[]) AS u(subject, state)
ON CONFLICT (subject) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`, ins, insB, ts(at))
	}
	return t.tx.SendBatch(ctx, &b).Close()
}

// StoredEvents reads the stored events with these keys in one statement.
func (t *ingestTx) StoredEvents(ctx context.Context, keys []ingest.Key) (map[ingest.Key]opencredit.Event, error) {
	sources, ids := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		sources[i], ids[i] = k.Source, k.ID
	}
	q, err := t.tx.Query(ctx, `SELECT e.source, e.id, e.subject, e.type, e.time, e.content_type, e.data
FROM unnest($1::text[], $2::text[]) AS u(source, id) JOIN events e ON e.source = u.source AND e.id = u.id`, sources, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[ingest.Key]opencredit.Event, len(keys))
	var e opencredit.Event
	var at int64
	var data []byte
	_, err = pgx.ForEachRow(q, []any{&e.Source, &e.ID, &e.Subject, &e.Type, &at, &e.DataContentType, &data}, func() error {
		ev := e
		ev.SpecVersion, ev.Time, ev.Data = opencredit.SpecVersion, fromTS(at), slices.Clone(data)
		out[ingest.Key{Source: e.Source, ID: e.ID}] = ev
		return nil
	})
	return out, err
}
