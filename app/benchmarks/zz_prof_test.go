package benchmarks

import (
	"net/http"
	"os"
	"testing"
	"time"
)

func BenchmarkZZProf(b *testing.B) {
	d := backofficeDatabase(b)
	base := serveApp(b, d)
	header := http.Header{"Cookie": {"session=" + adminSession(b, d)}}
	path := os.Getenv("ZZ_PATH")
	Load(base+path, 16, time.Second, header)
	b.ResetTimer()
	r := Load(base+path, 16, 8*time.Second, header)
	b.Logf("%s: %s", path, r)
}
