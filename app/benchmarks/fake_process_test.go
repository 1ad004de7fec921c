package benchmarks

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"assistant-declaration/app/ticketing/ticketingtest"
)

// fakeProcessEnv, set to "events,attendeesPerEvent", turns the test binary into a Billetweb fake
// serving that much data, so that a benchmark measures the memory of the synchronization alone,
// not that of the fake's data and answers as well.
const fakeProcessEnv = "BENCH_BILLETWEB_FAKE"

func TestMain(m *testing.M) {
	if spec := os.Getenv(fakeProcessEnv); spec != "" {
		serveBilletwebFake(spec)
		return
	}
	os.Exit(m.Run())
}

// serveBilletwebFake prints the fake's base URL, then answers each "requests" line read on stdin
// with the JSON list of the requests received so far; it exits when stdin closes.
func serveBilletwebFake(spec string) {
	events, attendees, _ := strings.Cut(spec, ",")
	nEvents, err1 := strconv.Atoi(events)
	nAttendees, err2 := strconv.Atoi(attendees)
	if err1 != nil || err2 != nil {
		fmt.Fprintf(os.Stderr, "%s=%q: want events,attendeesPerEvent\n", fakeProcessEnv, spec)
		os.Exit(2)
	}
	// testing.Benchmark hands out the testing.B the fake's constructor needs outside a test.
	testing.Benchmark(func(b *testing.B) {
		fake := ticketingtest.NewBilletweb(b)
		fake.Generate(nEvents, nAttendees)
		fmt.Println(fake.BaseURL)
		in := bufio.NewScanner(os.Stdin)
		out := json.NewEncoder(os.Stdout)
		for in.Scan() {
			if err := out.Encode(fake.Requests()); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		os.Exit(0)
	})
}

// billetwebFakeProcess is a Billetweb fake running in a child process.
type billetwebFakeProcess struct {
	BaseURL string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stdout  *bufio.Reader
}

// startBilletwebFake starts the fake in a child process serving events of attendeesPerEvent
// attendees each (ticketingtest.Billetweb.Generate); it stops with the benchmark.
func startBilletwebFake(b *testing.B, events, attendeesPerEvent int) *billetwebFakeProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%d", fakeProcessEnv, events, attendeesPerEvent))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &billetwebFakeProcess{cmd: cmd, stdin: stdin, stdout: bufio.NewReaderSize(stdout, 1<<20)}
	b.Cleanup(func() {
		if err := stdin.Close(); err != nil {
			b.Error(err)
		}
		if err := cmd.Wait(); err != nil {
			b.Errorf("billetweb fake: %v", err)
		}
	})
	line, err := p.stdout.ReadString('\n')
	if err != nil {
		b.Fatalf("billetweb fake did not start: %v", err)
	}
	p.BaseURL = strings.TrimSpace(line)
	return p
}

// Requests lists the requests the fake received so far.
func (p *billetwebFakeProcess) Requests(b *testing.B) []ticketingtest.Request {
	b.Helper()
	if _, err := io.WriteString(p.stdin, "requests\n"); err != nil {
		b.Fatal(err)
	}
	line, err := p.stdout.ReadBytes('\n')
	if err != nil {
		b.Fatal(err)
	}
	var requests []ticketingtest.Request
	if err := json.Unmarshal(line, &requests); err != nil {
		b.Fatal(err)
	}
	return requests
}

// peakRSS is the largest resident set the child process has had so far, in MiB (Linux).
func (p *billetwebFakeProcess) peakRSS(b *testing.B) float64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kib / 1024
		}
	}
	b.Fatal("VmHWM missing from /proc status")
	return 0
}
