package agencies

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// LineError is a row of an agency file that cannot be imported.
type LineError struct {
	Line   int
	Column string
	Value  string
	Reason string
}

func (e *LineError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: column %s: %s (got %q)", e.Line, e.Column, e.Reason, e.Value)
}

// format is the layout of an organism's file: comma-separated with a header
// line naming the columns.
type format struct {
	codeColumn  string
	emailColumn string
	// labelColumn must be non-empty when set; its value is not kept.
	labelColumn string
	// code normalizes a trimmed value of codeColumn, false when it is invalid.
	code       func(string) (string, bool)
	codeReason string
}

var formats = map[Organism]format{
	// SACEM lists every postal code an agency serves.
	Sacem: {codeColumn: "CP", emailColumn: "Mail", labelColumn: "LOCAL", code: sacemPostalCode,
		codeReason: "must be a postal code of 5 digits"},
	// SACD lists departments (2 digits, 3 overseas) or, for special cases,
	// longer postal code prefixes, and names Monaco and Corsica by name.
	Sacd: {codeColumn: "Département", emailColumn: "mail", code: sacdPrefix,
		codeReason: "must be a postal code prefix of 2 to 5 digits, Monaco, 2A or 2B"},
}

func sacemPostalCode(v string) (string, bool) {
	return v, len(v) == 5 && digits(v)
}

func sacdPrefix(v string) (string, bool) {
	switch v = strings.ToLower(v); v {
	case "monaco":
		return "980", true
	case "2a", "2b", "2a/2b":
		return "20", true
	}
	return v, len(v) >= 2 && len(v) <= 5 && digits(v)
}

func digits(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// Parse reads an organism's agency file (§ "Agencies" of README.md): a UTF-8
// CSV, BOM and CRLF line ends accepted. E-mails are trimmed and lower-cased;
// rows are grouped by e-mail into agencies whose codes are sorted and
// distinct. The first invalid row stops it with a *LineError.
func Parse(organism Organism, r io.Reader) (_ []Agency, err error) {
	defer derrors.Wrap(&err, "agencies: read the %s file", organism)
	f, ok := formats[organism]
	if !ok {
		return nil, fmt.Errorf("unknown organism %q", organism)
	}
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		if _, err := br.Discard(3); err != nil {
			return nil, err
		}
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &LineError{Line: 1, Reason: "the file is empty"}
	}
	if err != nil {
		return nil, err
	}
	columns := map[string]int{}
	for _, name := range []string{f.codeColumn, f.emailColumn, f.labelColumn} {
		if name == "" {
			continue
		}
		i := slices.IndexFunc(header, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), name) })
		if i < 0 {
			return nil, &LineError{Line: 1, Reason: fmt.Sprintf("the header lacks the column %s", name)}
		}
		columns[name] = i
	}

	byEmail := map[string][]string{}
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(record) == 1 && strings.TrimSpace(record[0]) == "" {
			continue
		}
		cell := func(name string) string {
			if i := columns[name]; i < len(record) {
				return strings.TrimSpace(record[i])
			}
			return ""
		}
		if f.labelColumn != "" && cell(f.labelColumn) == "" {
			return nil, &LineError{Line: line, Column: f.labelColumn, Reason: "must not be empty"}
		}
		email := strings.ToLower(cell(f.emailColumn))
		if !users.ValidEmail(email) {
			return nil, &LineError{Line: line, Column: f.emailColumn, Value: cell(f.emailColumn), Reason: "must be an e-mail address"}
		}
		code, ok := f.code(cell(f.codeColumn))
		if !ok {
			return nil, &LineError{Line: line, Column: f.codeColumn, Value: cell(f.codeColumn), Reason: f.codeReason}
		}
		if !slices.Contains(byEmail[email], code) {
			byEmail[email] = append(byEmail[email], code)
		}
	}
	// An empty list would delete every agency: surely the wrong file.
	if len(byEmail) == 0 {
		return nil, &LineError{Line: 2, Reason: "the file lists no agency"}
	}
	out := make([]Agency, 0, len(byEmail))
	for email, codes := range byEmail {
		sort.Strings(codes)
		out = append(out, Agency{Organism: organism, Email: email, Codes: codes})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out, nil
}
