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

// AcceptedByAllSQL is the SQL condition "every organism chosen for the serie
// aliased serie has accepted its declaration" (decision D12 in
// docs/decisions.md): the form and its documents are then read-only. serie is
// a SQL alias chosen by the caller, never user input.
func AcceptedByAllSQL(serie string) string {
	return fmt.Sprintf(`cardinality(%[1]s.expected_declaration_types) > 0 AND NOT EXISTS (
	SELECT 1 FROM unnest(%[1]s.expected_declaration_types) AS chosen(type)
	WHERE NOT EXISTS (SELECT 1 FROM event_serie_declarations AS accepted
		WHERE accepted.event_serie_id = %[1]s.id AND accepted.type = chosen.type AND accepted.status = '%[2]s'))`, serie, StatusProcessed)
}
