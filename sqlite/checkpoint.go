package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointer copies the write-ahead log back into the database file on a
// connection of its own, so that a commit does not wait for it
// (https://www.sqlite.org/wal.html#checkpointing). SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold, on the
// writer: with batches of 100,000 events, about one commit in two paid for
// copying some 80 MB. A PASSIVE checkpoint neither waits for nor blocks the
// writer or the readers; the writer keeps an automatic checkpoint at a far
// higher threshold (walSafetyPages) in case this one falls behind.
type checkpointer struct {
	conn *sql.DB
	wake chan struct{}
	stop chan struct{}
	done sync.WaitGroup
	runs atomic.Int64 // checkpoints done, for tests
}

// checkpointEvery is the least time between two checkpoints: a service
// committing small batches many times a second checkpoints at most this often.
const checkpointEvery = time.Second

// walSafetyPages is the writer's own automatic checkpoint threshold.
const walSafetyPages = 200_000

func startCheckpointer(conn *sql.DB) *checkpointer {
	c := &checkpointer{conn: conn, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	c.done.Add(1)
	go c.run()
	return c
}

// committed tells the checkpointer that the log grew; it never blocks.
func (c *checkpointer) committed() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer c.done.Done()
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		}
		// An error here (another process holding the file busy, say) only
		// leaves the log longer: the next checkpoint, or the writer's own at
		// walSafetyPages, copies it back.
		c.conn.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		c.runs.Add(1)
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	c.done.Wait()
	return c.conn.Close()
}
