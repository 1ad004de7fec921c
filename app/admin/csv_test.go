package admin

import (
	"context"
	"testing"

	"assistant-declaration/app/db/dbtest"
)

// Spreadsheets run a cell starting with = + - @ tab or CR as a formula: the
// export quotes those with an apostrophe and leaves every other value alone.
func TestCSVTextDefusesFormulas(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","clic")`: `'=HYPERLINK("http://x","clic")`,
		"+33 1 23":                      "'+33 1 23",
		"-1":                            "'-1",
		"@SUM(A1)":                      "'@SUM(A1)",
		"\tx":                           "'\tx",
		"\rx":                           "'\rx",
		"Théâtre = joie":                "Théâtre = joie",
		"":                              "",
	} {
		var got string
		if err := d.NewRaw("SELECT "+csvText("?::text"), in).Scan(context.Background(), &got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}
