package benchmarks

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/sacempdf"
)

// Size and targets of the SACEM PDF benchmark.
const (
	pdfBenchPerformances = 100
	pdfBenchRuns         = 10
	pdfBenchTargetMs     = 200
	pdfBenchTargetMiB    = 50
)

// BenchmarkSACEMPDF writes the SACEM PDF of a serie of 100 performances (a
// summary page and a dozen landscape pages of table) pdfBenchRuns times and
// reports the median and slowest time of one document, the peak of the heap
// in use above the heap before it (sampled every 5 ms), the bytes allocated
// (a bound of that peak whatever the sampling misses) and the PDF's size.
// Targets: under 200 ms and 50 MiB of heap.
func BenchmarkSACEMPDF(b *testing.B) {
	d := pdfBenchDeclaration()
	for i := 0; i < b.N; i++ {
		var times []time.Duration
		var peakAbove, allocated uint64
		size := 0
		for range pdfBenchRuns {
			var buf bytes.Buffer
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			stopPeak := peakHeap()
			start := time.Now()
			err := sacempdf.Write(&buf, d)
			elapsed := time.Since(start)
			peak := stopPeak()
			runtime.ReadMemStats(&after)
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, elapsed)
			if peak > before.HeapInuse {
				peakAbove = max(peakAbove, peak-before.HeapInuse)
			}
			allocated = max(allocated, after.TotalAlloc-before.TotalAlloc)
			size = buf.Len()
		}
		slices.Sort(times)
		median, slowest := times[len(times)/2], times[len(times)-1]
		mib := func(n uint64) float64 { return float64(n) / (1 << 20) }
		b.ReportMetric(ms(median), "ms/pdf")
		b.ReportMetric(ms(slowest), "max-ms/pdf")
		b.ReportMetric(mib(peakAbove), "peak-heap-MiB")
		b.ReportMetric(mib(allocated), "alloc-MiB/pdf")
		b.ReportMetric(float64(size)/1024, "pdf-KiB")
		b.Logf("SACEM PDF of %d performances: median %v, slowest %v (target %d ms); heap peak +%.1f MiB, %.1f MiB allocated (target %d MiB); %d KiB",
			pdfBenchPerformances, median, slowest, pdfBenchTargetMs, mib(peakAbove), mib(allocated), pdfBenchTargetMiB, size/1024)
		if mib(allocated) > pdfBenchTargetMiB {
			b.Errorf("one PDF allocates %.1f MiB, over the %d MiB target", mib(allocated), pdfBenchTargetMiB)
		}
	}
}

// pdfBenchDeclaration is a serie of pdfBenchPerformances evening performances
// with every revenue filled in.
func pdfBenchDeclaration() sacempdf.Declaration {
	amounts := func(excl, incl int64) sacempdf.Amounts {
		return sacempdf.Amounts{Excl: decimal.New(excl, -2), Incl: decimal.New(incl, -2)}
	}
	place := sacempdf.Place{Name: "Théâtre de la Croix-Rousse", Street: "Place Joannès Ambre", PostalCode: "69004", City: "Lyon"}
	first := time.Date(2025, time.September, 1, 18, 0, 0, 0, time.UTC)
	var performances []sacempdf.Performance
	for i := range int64(pdfBenchPerformances) {
		performances = append(performances, sacempdf.Performance{
			StartAt: first.AddDate(0, 0, int(i)), EndAt: first.AddDate(0, 0, int(i)).Add(2 * time.Hour),
			Audience: "Tout public", Place: place, Capacity: 500, FreeTickets: int(i % 7), PaidTickets: int(100 + i),
			Ticketing:    amounts(100_050+i*100, 105_553+i*105),
			Consumptions: amounts(1_000, 1_200), Catering: amounts(2_050, 2_460),
			ProgramSales: amounts(500, 527), Other: amounts(100_000, 120_000),
		})
	}
	return sacempdf.Declaration{
		Organization: sacempdf.Organization{Name: "Compagnie de benchmark", SacemID: "1234567"},
		Declarant:    sacempdf.Person{FirstName: "Hélène", LastName: "Garçon", Email: "bench@example.org"},
		Serie: sacempdf.Serie{
			Name: fmt.Sprintf("Tournée de %d dates", pdfBenchPerformances), PerformanceType: "Cirque, magie",
			Producer: sacempdf.Producer{Name: "Production Flamme", OfficialID: "552100554"}, Place: place,
			Expenses: amounts(250_000, 300_000), IntroductionFees: amounts(40_000, 48_000),
		},
		Performances: performances,
		Totals:       sacempdf.Sum(performances),
		GeneratedAt:  time.Now(),
		HomeURL:      "https://assistant-declaration.example/",
	}
}
