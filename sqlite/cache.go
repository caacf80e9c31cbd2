package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/opencredit/opencredit/ingest"
)

// cache remembers, across ingestion transactions, what the database said
// about subjects: that a subject is live, which furnishers hold an open
// furnishing consent (granted, never withdrawn), and its encoded feature
// state. It saves up to three index probes per subject and batch.
//
// Two rules keep it right. Every write of this store goes through its one
// writer connection, and a write that ends a cached fact (erasure,
// suppression, withdrawal of consent) forgets the subject inside its
// transaction, before any ingestion can take the connection again. Any other
// writer, another process or another DB on the same file, is another
// connection, whose commits change PRAGMA data_version as seen from ours
// (https://www.sqlite.org/pragma.html#pragma_data_version): each ingestion
// checks it, and the identity of the connection, and starts afresh if
// either changed. Absence is never cached, so a subject or consent created
// by anyone counts at once.
type cache struct {
	mu      sync.Mutex
	conn    any   // the driver connection the facts were read through
	version int64 // its data_version then
	live    map[string]bool
	open    map[string]map[string]time.Time // subject → source → a time the consent was open at
	states  map[string][]byte
	bytes   int
	facts   int // entries in live and open
}

// cacheBytes bounds the cached states and cacheFacts the other entries:
// past either the cache starts afresh.
const (
	cacheBytes = 64 << 20
	cacheFacts = 2 << 20 // some 200 MB at the most
)

func (c *cache) reset() {
	c.live, c.open, c.states, c.bytes, c.facts = map[string]bool{}, map[string]map[string]time.Time{}, map[string][]byte{}, 0, 0
}

// check empties the cache unless conn and version are those it was filled
// through. It runs at the start of every ingestion transaction.
func (c *cache) check(conn any, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == nil || c.conn != conn || c.version != version {
		c.reset()
		c.conn, c.version = conn, version
	}
}

// forget drops what is known about subject. Writers call it inside their
// transaction, so no ingestion can see the stale fact after the commit.
func (c *cache) forget(subject string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live[subject] {
		c.facts--
	}
	c.facts -= len(c.open[subject])
	delete(c.live, subject)
	delete(c.open, subject)
	if b, ok := c.states[subject]; ok {
		c.bytes -= len(b)
		delete(c.states, subject)
	}
}

// invalidate drops everything, as after a failed transaction.
func (c *cache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = nil
}

// The readers below answer for a whole batch under one lock.

// liveOf returns which of subjects are known live.
func (c *cache) liveOf(subjects []string) []bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]bool, len(subjects))
	for i, s := range subjects {
		out[i] = c.live[s]
	}
	return out
}

// openOf returns which pairs hold a furnishing consent known open at at: it
// was open at an earlier time, and an open consent stays open until
// withdrawn, which forgets the subject. A clock that went back is answered
// by the database.
func (c *cache) openOf(pairs []ingest.Pair, at time.Time) []bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]bool, len(pairs))
	for i, p := range pairs {
		t, ok := c.open[p.Subject][p.Source]
		out[i] = ok && !at.Before(t)
	}
	return out
}

// statesOf returns the known states of subjects (nil where unknown).
func (c *cache) statesOf(subjects []string) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]byte, len(subjects))
	for i, s := range subjects {
		out[i] = c.states[s]
	}
	return out
}

// learn records what a committed transaction read and wrote.
func (c *cache) learn(live []string, consented []ingest.Pair, at time.Time, states map[string][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == nil {
		return // invalidated meanwhile
	}
	for _, s := range live {
		if !c.live[s] {
			c.live[s] = true
			c.facts++
		}
	}
	for _, p := range consented {
		m := c.open[p.Subject]
		if m == nil {
			m = map[string]time.Time{}
			c.open[p.Subject] = m
		}
		if _, ok := m[p.Source]; !ok {
			c.facts++
		}
		m[p.Source] = at
	}
	for s, b := range states {
		c.bytes += len(b) - len(c.states[s])
		c.states[s] = b
	}
	if c.bytes > cacheBytes || c.facts > cacheFacts {
		c.reset()
	}
}

// writeConn takes the writer connection and returns it with its identity
// and data_version, and a transaction on it (BEGIN IMMEDIATE).
func (db *DB) writeConn(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, nil, internal("taking the writer connection", err)
	}
	var id any
	if err := conn.Raw(func(dc any) error { id = dc; return nil }); err != nil {
		conn.Close()
		return nil, nil, internal("taking the writer connection", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, internal("begin", err)
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		tx.Rollback()
		conn.Close()
		return nil, nil, internal("reading data_version", err)
	}
	db.cache.check(id, version)
	return conn, tx, nil
}
