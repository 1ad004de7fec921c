// Package benchmarks holds the `make bench` measurements: each benchmark
// starts what it measures for real (the binary, or the app on a loopback
// listener, against PostgreSQL), loads it from this process over loopback and
// prints its figures. They run once (-benchtime 1x): the figures are the
// point, not Go's ns/op.
package benchmarks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LoadResult summarizes one load run.
type LoadResult struct {
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// PerSecond is the throughput of the run.
func (r LoadResult) PerSecond() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r LoadResult) String() string {
	return fmt.Sprintf("%8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d errors)",
		r.PerSecond(), ms(r.P50), ms(r.P99), r.Requests, r.Errors)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Load sends GET requests to url from `connections` workers for `duration`
// and records each latency. header adds request headers (cookies…).
func Load(url string, connections int, duration time.Duration, header http.Header) LoadResult {
	transport := &http.Transport{MaxIdleConns: connections, MaxIdleConnsPerHost: connections, MaxConnsPerHost: connections}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()

	var errors atomic.Int64
	latencies := make([][]time.Duration, connections)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < connections; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				for k, v := range header {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errors.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body) // drained only to reuse the connection; the status was counted
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errors.Add(1)
				}
				latencies[w] = append(latencies[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := LoadResult{Requests: len(all), Errors: int(errors.Load()), Elapsed: elapsed}
	if len(all) > 0 {
		r.P50 = all[len(all)*50/100]
		r.P99 = all[len(all)*99/100]
	}
	return r
}

// ProcessMemory reads the resident set (VmRSS) and its peak (VmHWM) of a
// process, in MiB, from /proc.
func ProcessMemory(pid int) (rss, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
