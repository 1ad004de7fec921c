// Package clamdtest is an in-process clamd for tests: a TCP server speaking
// the INSTREAM command of ClamAV's daemon, which finds the EICAR test
// signature (or any marker the test chooses) in the streamed bytes.
package clamdtest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
)

// EICAR is the antivirus test file every antivirus reports as infected.
const EICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// Signature is the name the server reports for EICAR.
const Signature = "Eicar-Test-Signature"

// Server is a running fake clamd.
type Server struct {
	// Addr is host:port, for CLAMAV_ADDRESS.
	Addr string

	ln net.Listener
	mu sync.Mutex
	// chunks holds the chunk sizes of every stream received, in order.
	chunks [][]int
}

// Start serves on a loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	go s.serve()
	t.Cleanup(func() { _ = ln.Close() }) // closing ends serve; its error says only that
	return s
}

// Unreachable returns an address where nothing listens.
func Unreachable(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// Streams returns the chunk sizes of each stream scanned so far.
func (s *Server) Streams() [][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]int(nil), s.chunks...)
}

func (s *Server) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(conn)
	}
}

// handle answers one command, as clamd does for a connection without
// IDSESSION: z-prefixed commands end with NUL, and so does the reply.
func (s *Server) handle(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	cmd, err := r.ReadString(0)
	if err != nil {
		return
	}
	if cmd != "zINSTREAM\x00" {
		_, _ = io.WriteString(conn, "UNKNOWN COMMAND\x00") // the client is gone if this fails
		return
	}
	var content bytes.Buffer
	var sizes []int
	for {
		var size [4]byte
		if _, err := io.ReadFull(r, size[:]); err != nil {
			return
		}
		n := binary.BigEndian.Uint32(size[:])
		if n == 0 {
			break
		}
		if _, err := io.CopyN(&content, r, int64(n)); err != nil {
			return
		}
		sizes = append(sizes, int(n))
	}
	s.mu.Lock()
	s.chunks = append(s.chunks, sizes)
	s.mu.Unlock()
	reply := "stream: OK\x00"
	if bytes.Contains(content.Bytes(), []byte(EICAR)) {
		reply = "stream: " + Signature + " FOUND\x00"
	}
	_, _ = io.WriteString(conn, reply) // the client is gone if this fails
}
