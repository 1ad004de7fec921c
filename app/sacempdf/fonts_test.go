package sacempdf

import (
	"bytes"
	"crypto/sha256"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Documents written at the same time share the embedded fonts: fpdf must only
// read them (the race detector watches, and their bytes must not change).
func TestConcurrentDocumentsLeaveTheFontsAlone(t *testing.T) {
	sum := func() [32]byte { return sha256.Sum256(bytes.Join([][]byte{textRegular, textBold, script}, nil)) }
	before := sum()
	performances := []Performance{{StartAt: time.Now(), PaidTickets: 3, Ticketing: Amounts{Excl: decimal.NewFromInt(10), Incl: decimal.NewFromInt(12)}}}
	d := Declaration{Serie: Serie{Name: "Écho"}, Declarant: Person{FirstName: "Zoé", LastName: "Ïgor"}, Performances: performances, Totals: Sum(performances)}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := Write(io.Discard, d); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if sum() != before {
		t.Error("writing documents changed the embedded fonts")
	}
}
