package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// Ingest validates and stores a batch in one BEGIN IMMEDIATE transaction,
// updating the features of every subject it touches (see ingest.Batch).
func (db *DB) Ingest(ctx context.Context, batch []opencredit.Event) ([]opencredit.IngestResult, error) {
	now := db.now()
	conn, tx, err := db.writeConn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer tx.Rollback()
	itx := &ingestTx{db: db, tx: tx, cache: &db.cache, saved: map[string][]byte{}, stored: map[string]bool{}, now: now}
	defer itx.close()
	res, err := ingest.Batch(ctx, itx, batch, now)
	if err != nil {
		return nil, internal("ingesting a batch", err)
	}
	if err := tx.Commit(); err != nil {
		// Whether the commit took effect is unknown: trust nothing cached.
		db.cache.invalidate()
		return nil, internal("commit", err)
	}
	db.cache.learn(itx.live, itx.consented, now, itx.saved)
	db.ckpt.committed()
	return res, nil
}

// RawInsert inserts events into the events table as they are, without
// validation, consent checks, duplicate handling or features, in one
// transaction with the same multi-row statements as Ingest: the baseline
// Ingest is measured against. Every event's subject must exist (the table
// has a foreign key) and every (source, id) must be new; a row that is not
// inserted fails the whole call. It does not update feature states, so a
// store used for it is fit only for benchmarking.
func (db *DB) RawInsert(ctx context.Context, events []opencredit.Event) error {
	now := db.now()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	itx := &ingestTx{db: db, tx: tx}
	defer itx.close()
	rows := make([]ingest.Row, len(events))
	for i, e := range events {
		rows[i] = ingest.Row{Event: e, ReceivedAt: now}
	}
	n, err := itx.insert(ctx, rows)
	if err != nil {
		return internal("raw insert", err)
	}
	if n != int64(len(rows)) {
		return internal("raw insert", fmt.Errorf("inserted %d of %d events", n, len(rows)))
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	db.ckpt.committed()
	return nil
}

// Rows per multi-row statement: 9 columns × 200 rows stays far below
// SQLite's limit of 32766 bound parameters; larger chunks measured no faster.
const (
	eventChunk = 200
	stateChunk = 300
	probeChunk = 500
)

const eventColumns = `(source, id, subject, type, time, received_at, content_type, data, suppressed)`

// The multi-row statements that write events and feature states during
// ingestion cannot fail halfway: each names a conflict resolution (OR
// IGNORE, whose skipped rows the caller finds through the count of rows
// written), and the tables' foreign keys are deferred to the commit
// (migration 0004). SQLite then keeps no statement journal for them, the
// copy of every page a statement changes that it would otherwise keep to
// undo that statement alone (https://www.sqlite.org/tempfiles.html#stmtjrnl):
// it measured 1.8 s of 23.6 s per million events ingested.
func insertEventsSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO events " + eventColumns + " VALUES ")
	values(&b, n, 9)
	return b.String()
}

func updateStatesSQL(n int) string {
	var b strings.Builder
	b.WriteString("WITH v(subject, state, at) AS (VALUES ")
	values(&b, n, 3)
	b.WriteString(") UPDATE OR IGNORE feature_states SET state = v.state, updated_at = v.at FROM v WHERE feature_states.subject = v.subject")
	return b.String()
}

func insertStatesSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO feature_states (subject, state, updated_at) VALUES ")
	values(&b, n, 3)
	return b.String()
}

func saveStatesSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO feature_states (subject, state, updated_at) VALUES ")
	values(&b, n, 3)
	b.WriteString(" ON CONFLICT (subject) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at")
	return b.String()
}

// The probes below select the keys of the rows of a VALUES list p for which
// a condition holds, and they ask for what is missing (unknown subjects,
// pairs without consent, events not inserted): in a normal
// batch, nothing. Reading a row costs more than an index probe, so asking
// "which are missing" is the cheap way to ask "which are there". Binding
// values measured cheaper than expanding a JSON array with json_each.
var (
	probeLive    = probe{"id", `NOT EXISTS (SELECT 1 FROM subjects s WHERE s.id = p.id AND s.deleted_at IS NULL)`}
	probeConsent = probe{"subject, source", `NOT EXISTS (SELECT 1 FROM consents c
    WHERE c.subject = p.subject AND c.counterparty = p.source AND c.purpose = '` + opencredit.PurposeFurnishing + `'
      AND c.granted_at <= ? AND (c.withdrawn_at IS NULL OR c.withdrawn_at > ?))`}
	probeSkipped = probe{"source, id", `NOT EXISTS (SELECT 1 FROM events e WHERE e.source = p.source AND e.id = p.id AND e.rowid > ?)`}
	probeMissing = probe{"source, id", `NOT EXISTS (SELECT 1 FROM events e WHERE e.source = p.source AND e.id = p.id)`}
)

// probe is a condition on a VALUES list p(k, columns...).
type probe struct{ columns, cond string }

func (p probe) sql(n int) string {
	var b strings.Builder
	b.WriteString("WITH p(k, " + p.columns + ") AS (VALUES ")
	values(&b, n, strings.Count(p.columns, ",")+2)
	b.WriteString(") SELECT k FROM p WHERE " + p.cond)
	return b.String()
}

// values writes n row placeholders of width parameters each.
func values(b *strings.Builder, n, width int) {
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
}

// prepare prepares, once per store, the statements of full chunks, which
// every batch runs many times: parsing one with 1,800 parameters costs about
// as much as inserting a hundred rows.
func (db *DB) prepare(ctx context.Context) error {
	db.stmts = map[string]*sql.Stmt{}
	for _, q := range []string{
		insertEventsSQL(eventChunk), saveStatesSQL(stateChunk),
		updateStatesSQL(stateChunk), insertStatesSQL(stateChunk),
		probeLive.sql(probeChunk), probeConsent.sql(probeChunk),
	} {
		s, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return internal("preparing statements", err)
		}
		db.stmts[q] = s
	}
	return nil
}

// ingestTx implements ingest.Tx in an open write transaction.
type ingestTx struct {
	db    *DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // statements of this transaction

	// With a cache, lookups are answered from it first, and what the
	// transaction learns is kept for the cache to take after the commit.
	cache     *cache
	now       time.Time
	live      []string          // subjects found live
	consented []ingest.Pair     // pairs found with an open consent at now
	saved     map[string][]byte // states read or written
	stored    map[string]bool   // in Ingest, the subjects LoadStates found a state for
}

func (t *ingestTx) close() {
	for _, s := range t.stmts {
		s.Close()
	}
}

// stmt returns query as a statement of the transaction: the store's
// prepared one if there is, else one prepared for this transaction.
func (t *ingestTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if ps, ok := t.db.stmts[query]; ok {
		s = t.tx.StmtContext(ctx, ps)
	} else {
		var err error
		if s, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = s
	return s, nil
}

// exec runs a statement of the transaction.
func (t *ingestTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// probe returns the indexes of the keys for which p's condition holds,
// binding the keys in chunks; the condition's own parameters come last.
func (t *ingestTx) probe(ctx context.Context, p probe, keys [][]any, condArgs ...any) (map[int]bool, error) {
	found := map[int]bool{}
	for base := 0; base < len(keys); base += probeChunk {
		chunk := keys[base:min(base+probeChunk, len(keys))]
		args := make([]any, 0, len(chunk)*(len(chunk[0])+1)+len(condArgs))
		for i, k := range chunk {
			args = append(args, base+i)
			args = append(args, k...)
		}
		args = append(args, condArgs...)
		s, err := t.stmt(ctx, p.sql(len(chunk)))
		if err != nil {
			return nil, err
		}
		rows, err := s.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k int
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			found[k] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

func (t *ingestTx) KnownSubjects(ctx context.Context, ids []string) (map[string]bool, error) {
	known := make(map[string]bool, len(ids))
	var ask [][]any
	var cached []bool
	if t.cache != nil {
		cached = t.cache.liveOf(ids)
	}
	for i, id := range ids {
		if cached != nil && cached[i] {
			known[id] = true
		} else {
			ask = append(ask, []any{id})
		}
	}
	missing, err := t.probe(ctx, probeLive, ask)
	if err != nil {
		return nil, err
	}
	for i, k := range ask {
		if !missing[i] {
			id := k[0].(string)
			known[id] = true
			t.live = append(t.live, id)
		}
	}
	return known, nil
}

func (t *ingestTx) FurnishingConsents(ctx context.Context, pairs []ingest.Pair, at time.Time) (map[ingest.Pair]bool, error) {
	ok := make(map[ingest.Pair]bool, len(pairs))
	var ask []ingest.Pair
	var cached []bool
	if t.cache != nil {
		cached = t.cache.openOf(pairs, at)
	}
	for i, p := range pairs {
		if cached != nil && cached[i] {
			ok[p] = true
		} else {
			ask = append(ask, p)
		}
	}
	// Most consents are open: find those first, reading every open
	// furnishing consent of the subjects asked about (one index range each,
	// and the cache learns the subject's other furnishers too), then look
	// closer at the rest.
	subjects := ingest.SubjectsOf(ask)
	open, err := t.openConsents(ctx, subjects, at)
	if err != nil {
		return nil, err
	}
	if t.cache != nil && at.Equal(t.now) {
		t.consented = append(t.consented, open...)
	}
	isOpen := make(map[ingest.Pair]bool, len(open))
	for _, p := range open {
		isOpen[p] = true
	}
	var rest [][]any
	var restPairs []ingest.Pair
	for _, p := range ask {
		if isOpen[p] {
			ok[p] = true
			continue
		}
		rest = append(rest, []any{p.Subject, p.Source})
		restPairs = append(restPairs, p)
	}
	none, err := t.probe(ctx, probeConsent, rest, ts(at), ts(at))
	if err != nil {
		return nil, err
	}
	for i, p := range restPairs {
		if !none[i] {
			ok[p] = true
		}
	}
	return ok, nil
}

// openConsents returns the pairs of subjects and furnishers with a
// furnishing consent granted by at and never withdrawn. Such a consent stays
// open until someone withdraws it, so the cache may keep it; see cache.go.
func (t *ingestTx) openConsents(ctx context.Context, subjects []string, at time.Time) ([]ingest.Pair, error) {
	if len(subjects) == 0 {
		return nil, nil
	}
	arr, err := json.Marshal(subjects)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT subject, counterparty FROM consents
WHERE subject IN (SELECT value FROM json_each(?)) AND purpose = '`+opencredit.PurposeFurnishing+`'
  AND granted_at <= ? AND withdrawn_at IS NULL`, string(arr), ts(at))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ingest.Pair
	for rows.Next() {
		var p ingest.Pair
		if err := rows.Scan(&p.Subject, &p.Source); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *ingestTx) InsertEvents(ctx context.Context, rows []ingest.Row) ([]bool, error) {
	inserted := make([]bool, len(rows))
	for i := range inserted {
		inserted[i] = true
	}
	// Duplicates are rare, so insert everything, skipping conflicts, and
	// only if some row was skipped find out which. A new row gets a rowid
	// above every rowid in the table (https://www.sqlite.org/autoinc.html),
	// so the rows this statement inserted are those above the largest
	// rowid before it. Only this transaction writes (BEGIN IMMEDIATE).
	// This measured cheaper than probing first, than RETURNING the inserted
	// keys, and than a savepoint to roll back to.
	var before sql.NullInt64
	if err := t.tx.QueryRowContext(ctx, `SELECT max(rowid) FROM events`).Scan(&before); err != nil {
		return nil, err
	}
	n, err := t.insert(ctx, rows)
	if err != nil {
		return nil, err
	}
	if n == int64(len(rows)) {
		return inserted, nil
	}
	keys := make([][]any, len(rows))
	for i, r := range rows {
		keys[i] = []any{r.Source, r.ID}
	}
	skipped, err := t.probe(ctx, probeSkipped, keys, before.Int64)
	if err != nil {
		return nil, err
	}
	if int64(len(rows)-len(skipped)) != n {
		return nil, fmt.Errorf("inserted %d events but found %d new", n, len(rows)-len(skipped))
	}
	// OR IGNORE would also skip a row breaking a NOT NULL constraint: every
	// row skipped must be one stored before.
	keys = keys[:0]
	for i := range rows {
		if skipped[i] {
			inserted[i] = false
			keys = append(keys, []any{rows[i].Source, rows[i].ID})
		}
	}
	missing, err := t.probe(ctx, probeMissing, keys)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%d events were neither inserted nor stored before", len(missing))
	}
	return inserted, nil
}

// insert writes rows into the events table in multi-row statements, the
// same for Ingest and for the RawInsert baseline, and returns how many it
// inserted: it skips a row whose (source, id) is stored.
func (t *ingestTx) insert(ctx context.Context, rows []ingest.Row) (int64, error) {
	args := make([]any, 0, 9*min(len(rows), eventChunk))
	var total int64
	for len(rows) > 0 {
		n := min(len(rows), eventChunk)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.Source, r.ID, r.Subject, r.Type, ts(r.Time), ts(r.ReceivedAt), r.DataContentType, []byte(r.Data), false)
		}
		res, err := t.exec(ctx, insertEventsSQL(n), args...)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		total += k
		rows = rows[n:]
	}
	return total, nil
}

func (t *ingestTx) LoadStates(ctx context.Context, subjects []string) (map[string][]byte, error) {
	if t.cache == nil {
		return loadStates(ctx, t.tx, subjects)
	}
	out := make(map[string][]byte, len(subjects))
	var ask []string
	for i, b := range t.cache.statesOf(subjects) {
		if b != nil {
			out[subjects[i]] = b
			t.stored[subjects[i]] = true
		} else {
			ask = append(ask, subjects[i])
		}
	}
	if len(ask) > 0 {
		got, err := loadStates(ctx, t.tx, ask)
		if err != nil {
			return nil, err
		}
		for s, b := range got {
			out[s] = b
			t.saved[s] = b // what is stored is as good as what is written
			t.stored[s] = true
		}
	}
	return out, nil
}

func loadStates(ctx context.Context, q queryer, subjects []string) (map[string][]byte, error) {
	arr, err := json.Marshal(subjects)
	if err != nil {
		return nil, err
	}
	// Rows are read anyway, so json_each's one parameter is as good as any.
	rows, err := q.QueryContext(ctx, `SELECT subject, state FROM feature_states
WHERE subject IN (SELECT value FROM json_each(?))`, string(arr))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]byte, len(subjects))
	for rows.Next() {
		var s string
		var b []byte
		if err := rows.Scan(&s, &b); err != nil {
			return nil, err
		}
		out[s] = b
	}
	return out, rows.Err()
}

func (t *ingestTx) SaveStates(ctx context.Context, states map[string][]byte, at time.Time) error {
	if t.stored == nil {
		// Outside Ingest (suppression, restoration): upsert.
		return t.writeStates(ctx, states, at, saveStatesSQL)
	}
	upd, ins := map[string][]byte{}, map[string][]byte{}
	for s, b := range states {
		if t.stored[s] {
			upd[s] = b
		} else {
			ins[s] = b
		}
	}
	if err := t.writeStates(ctx, upd, at, updateStatesSQL); err != nil {
		return err
	}
	return t.writeStates(ctx, ins, at, insertStatesSQL)
}

// writeStates writes states with the statements sql(n) makes for n rows,
// in chunks of stateChunk, and checks that each wrote all its rows.
func (t *ingestTx) writeStates(ctx context.Context, states map[string][]byte, at time.Time, sql func(int) string) error {
	args := make([]any, 0, 3*min(len(states), stateChunk))
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		res, err := t.exec(ctx, sql(n), args...)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != int64(n) {
			return fmt.Errorf("wrote %d of %d feature states", k, n)
		}
		args, n = args[:0], 0
		return nil
	}
	for subject, state := range states {
		if t.saved != nil {
			t.saved[subject] = state
		}
		args = append(args, subject, state, ts(at))
		if n++; n == stateChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// StoredEvents reads the stored events with these keys, in chunks of one
// statement each.
func (t *ingestTx) StoredEvents(ctx context.Context, keys []ingest.Key) (map[ingest.Key]opencredit.Event, error) {
	out := make(map[ingest.Key]opencredit.Event, len(keys))
	for base := 0; base < len(keys); base += probeChunk {
		chunk := keys[base:min(base+probeChunk, len(keys))]
		var b strings.Builder
		b.WriteString("WITH p(source, id) AS (VALUES ")
		values(&b, len(chunk), 2)
		b.WriteString(`) SELECT e.source, e.id, e.subject, e.type, e.time, e.content_type, e.data
FROM p JOIN events e ON e.source = p.source AND e.id = p.id`)
		args := make([]any, 0, 2*len(chunk))
		for _, k := range chunk {
			args = append(args, k.Source, k.ID)
		}
		rows, err := t.tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e := opencredit.Event{SpecVersion: opencredit.SpecVersion}
			var at int64
			var data []byte
			if err := rows.Scan(&e.Source, &e.ID, &e.Subject, &e.Type, &at, &e.DataContentType, &data); err != nil {
				rows.Close()
				return nil, err
			}
			e.Time, e.Data = fromTS(at), data
			out[ingest.Key{Source: e.Source, ID: e.ID}] = e
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
