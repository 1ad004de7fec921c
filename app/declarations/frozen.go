// Package declarations owns the declaration of a serie to the organisms
// (SACEM, SACD): the event_serie_declarations rows and the rules that follow
// from them.
package declarations

import "fmt"

// DeclaredSQL is the SQL condition "the serie aliased serie has a declaration
// row". Such a serie is frozen: the synchronization no longer overwrites it, it
// is no longer offered for deletion, and the series list counts it as started.
// It is the one statement of that rule, so the transmission work changes it in
// one place. serie is a SQL alias chosen by the caller, never user input.
func DeclaredSQL(serie string) string {
	return fmt.Sprintf("EXISTS (SELECT 1 FROM event_serie_declarations AS declared WHERE declared.event_serie_id = %s.id)", serie)
}
