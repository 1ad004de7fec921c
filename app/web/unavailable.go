package web

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

// retryAfterSeconds is how long a client is asked to wait while a resource
// the request needs (the database, mostly) cannot be reached.
const retryAfterSeconds = "30"

// unreachable reports whether err comes from a resource that could not be
// reached rather than from a bug: the database refusing connections or
// cutting them, a network error, no connection acquired before the request's
// deadline. The user is told to come back later (503), not that the service
// failed (500).
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// unavailableError is what an unreachable resource shows.
func unavailableError(err error) *Error {
	return &Error{Status: fiber.StatusServiceUnavailable, Key: "errors.unavailable", Err: err}
}
