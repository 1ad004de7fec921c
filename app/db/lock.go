package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"assistant-declaration/app/derrors"
)

// ErrLockHeld is returned by TryLock when another session holds the lock.
var ErrLockHeld = errors.New("db: advisory lock held by another session")

// unlockTimeout bounds an unlock, which runs even after the caller's context
// was cancelled and must not hang a shutdown on an unreachable database.
const unlockTimeout = 5 * time.Second

// SessionLock is a session-level advisory lock on a connection pinned for as
// long as it is held: a session lock belongs to a connection, so lock and
// unlock must run on the same one, and if the process dies the server ends
// the session and frees the lock. Conn may run the holder's own queries.
type SessionLock struct {
	Conn *sql.Conn
	key  string
}

// Lock waits for the advisory lock named key.
func (d *DB) Lock(ctx context.Context, key string) (_ *SessionLock, err error) {
	defer derrors.Wrap(&err, "db: lock %q", key)
	return d.lock(ctx, key, `SELECT true FROM pg_advisory_lock(hashtextextended($1, 0))`)
}

// TryLock takes the advisory lock named key, or fails at once with ErrLockHeld.
func (d *DB) TryLock(ctx context.Context, key string) (_ *SessionLock, err error) {
	defer derrors.Wrap(&err, "db: try to lock %q", key)
	return d.lock(ctx, key, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`)
}

func (d *DB) lock(ctx context.Context, key, query string) (*SessionLock, error) {
	conn, err := d.DB.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: lock %s: %w", key, err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, query, key).Scan(&got); err != nil || !got {
		_ = conn.Close() // the lock was not taken: the lookup error (or false) is what the caller gets
		if err != nil {
			return nil, fmt.Errorf("db: lock %s: %w", key, err)
		}
		return nil, ErrLockHeld
	}
	return &SessionLock{Conn: conn, key: key}, nil
}

// Unlock releases the lock and returns the connection to the pool. It does
// not inherit ctx's cancellation (a shutdown is exactly when unlocking
// matters). When the unlock cannot be confirmed, the physical connection is
// closed instead, so its session, and the lock, end with it.
func (l *SessionLock) Unlock(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "db: unlock %s", l.key)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	var released bool
	err = l.Conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, l.key).Scan(&released)
	if err == nil && !released {
		err = errors.New("lock was not held")
	}
	if err != nil {
		DiscardConn(ctx, l.Conn)
		return err
	}
	return l.Conn.Close()
}
