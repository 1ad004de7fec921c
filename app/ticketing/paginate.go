package ticketing

import (
	"context"
	"fmt"
)

// maxPages stops a remote whose pagination never ends (a bug on their side would otherwise keep a
// synchronization running until its deadline). 10 000 pages is far above any real account.
const maxPages = 10000

// page is what one fetch of a paginated collection returns.
type page[C comparable, T any] struct {
	items []T
	// next is the cursor of the following page; more is false on the last page.
	next C
	more bool
}

// paginate calls fetch from the first cursor until a page says it is the last, and returns every
// item in order. Each system's fetch decides what "last" means (continuation token, hydra:nextPage,
// short page, null next link); paginate only guards against loops, which are a CodeInconsistentData
// RemoteError of system on path.
func paginate[C comparable, T any](ctx context.Context, system System, path string, first C, fetch func(ctx context.Context, cursor C) (page[C, T], error)) ([]T, error) {
	var all []T
	cursor := first
	for n := 0; ; n++ {
		if n == maxPages {
			return nil, &RemoteError{System: system, Code: CodeInconsistentData, Path: path,
				Message: fmt.Sprintf("pagination did not end after %d pages", maxPages)}
		}
		p, err := fetch(ctx, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, p.items...)
		if !p.more {
			return all, nil
		}
		if p.next == cursor {
			return nil, &RemoteError{System: system, Code: CodeInconsistentData, Path: path,
				Message: fmt.Sprintf("pagination cursor %v did not advance", cursor)}
		}
		cursor = p.next
	}
}

// firstSeen returns the distinct values of keys in first-appearance order.
func firstSeen[T any](items []T, key func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if k := key(it); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
