package attachments

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"assistant-declaration/app/derrors"
)

// Scanner tells whether a file is safe: nil when it is, an *InfectedError when
// the antivirus found something, any other error when it could not tell.
type Scanner interface {
	Scan(ctx context.Context, content []byte) error
}

// InfectedError is a file the antivirus recognized as malicious.
type InfectedError struct {
	Signature string
}

func (e *InfectedError) Error() string { return "attachments: infected file (" + e.Signature + ")" }

// Clamd scans with a clamd daemon over TCP (CLAMAV_ADDRESS), streaming the
// file with the INSTREAM command.
type Clamd struct {
	Address string
	// Timeout bounds a whole scan, connection included; zero means 30 s.
	Timeout time.Duration
	// ChunkSize is the size of the stream's chunks; zero means 64 KiB.
	ChunkSize int
}

// Scan implements Scanner. A daemon that cannot be reached or answers
// something else than a verdict is derrors.ErrUnavailable.
func (c *Clamd) Scan(ctx context.Context, content []byte) (err error) {
	timeout, chunk := c.Timeout, c.ChunkSize
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	if chunk <= 0 {
		chunk = 64 << 10
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.Address)
	if err != nil {
		return fmt.Errorf("attachments: clamd %s: %w: %w", c.Address, derrors.ErrUnavailable, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(deadline); err != nil {
			return fmt.Errorf("attachments: clamd %s: %w", c.Address, err)
		}
	}
	reply, err := instream(conn, content, chunk)
	if err != nil {
		return fmt.Errorf("attachments: clamd %s: %w: %w", c.Address, derrors.ErrUnavailable, err)
	}
	// "stream: OK", "stream: Eicar-Signature FOUND", or "... ERROR".
	verdict := strings.TrimPrefix(reply, "stream: ")
	switch {
	case verdict == "OK":
		return nil
	case strings.HasSuffix(verdict, " FOUND"):
		return &InfectedError{Signature: strings.TrimSuffix(verdict, " FOUND")}
	}
	return fmt.Errorf("attachments: clamd %s answered %q: %w", c.Address, reply, derrors.ErrUnavailable)
}

// instream runs clamd's INSTREAM command on conn: the z-prefixed command
// (replies end with a NUL byte), the content in chunks each preceded by its
// length (4 bytes, big-endian), a zero length to end, then the reply.
func instream(conn net.Conn, content []byte, chunk int) (string, error) {
	w := bufio.NewWriter(conn)
	if _, err := w.WriteString("zINSTREAM\x00"); err != nil {
		return "", err
	}
	var size [4]byte
	for len(content) > 0 {
		n := min(chunk, len(content))
		binary.BigEndian.PutUint32(size[:], uint32(n))
		if _, err := w.Write(size[:]); err != nil {
			return "", err
		}
		if _, err := w.Write(content[:n]); err != nil {
			return "", err
		}
		content = content[n:]
	}
	binary.BigEndian.PutUint32(size[:], 0)
	if _, err := w.Write(size[:]); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	reply, err := bufio.NewReader(conn).ReadString(0)
	if err != nil {
		return "", fmt.Errorf("read reply: %w", err)
	}
	return strings.TrimSpace(strings.TrimSuffix(reply, "\x00")), nil
}

// isInfected reports whether err is a verdict of the antivirus.
func isInfected(err error) bool {
	var infected *InfectedError
	return errors.As(err, &infected)
}
